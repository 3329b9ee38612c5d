import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Warehouse } from "../../load/index.ts";
import { runEvaluation } from "../../evaluate/index.ts";
import { createSyntheticWarehouse, insertObservations } from "./synthetic-warehouse.ts";
import { provinceScenario } from "./scenario.ts";

// The methods COINr users expect (issue 17, item 4), through a whole run on the hand-computed scenario.
const AS_OF = "2026-02-01T00:00:00Z";
let w: Warehouse;

async function rows(sql: string, params: (string | number)[] = []): Promise<Record<string, unknown>[]> {
  return (await w.connection.runAndReadAll(sql, params)).getRowObjectsJson() as Record<string, unknown>[];
}

const income = (runId: string) =>
  rows(
    "SELECT * FROM eval_indicator_score WHERE run_id = $1 AND region_code = '330000' AND indicator_code = 'disposable_income_per_capita'",
    [runId],
  ).then((r) => r[0]!);

beforeEach(async () => {
  w = await createSyntheticWarehouse();
  await insertObservations(w.connection, [
    ...provinceScenario(),
    // 2025's income, published after the 2025-09 period ended.
    {
      indicator: "disposable_income_per_capita",
      region: "330000",
      period: "2025",
      value: 75000,
      vintage: "2026-01-20T02:00:00Z",
    },
  ]);
});
afterEach(() => w.close());

describe("imputation: none, carry-forward or linear, reported per cell", () => {
  it("carries 2024 forward by default, interpolates with linear, and leaves the cell empty with none", async () => {
    const carried = await runEvaluation(w.connection, { period: "2025-09", asOf: AS_OF });
    expect(await income(carried.runId)).toMatchObject({ value: 67500, imputation: "carry_forward" });

    const linear = await runEvaluation(w.connection, {
      period: "2025-09",
      asOf: AS_OF,
      config: { imputation: "linear" },
    });
    // 2024 (ends 2024-12) = 67,500 and 2025 (ends 2025-12) = 75,000; 2025-09 is 9 of the 12 months on: 73,125.
    const cell = await income(linear.runId);
    expect(cell).toMatchObject({
      imputation: "linear",
      period_used: "2025-09",
      derived: false,
      carried_forward: false,
    });
    expect(cell["value"]).toBeCloseTo(73125, 9);
    expect(cell["realisation"]).toBeCloseTo(73125 / 75000, 12);
    const used = await rows(
      "SELECT role, period, value FROM eval_observation_used WHERE run_id = $1 AND region_code = " +
        "'330000' AND indicator_code = 'disposable_income_per_capita' ORDER BY role, period",
      [linear.runId],
    );
    expect(used).toEqual([
      { role: "baseline", period: "2020", value: 50000 },
      { role: "input", period: "2024", value: 67500 },
      { role: "input", period: "2025", value: 75000 },
      { role: "value", period: "2025-09", value: 73125 },
    ]);

    const none = await runEvaluation(w.connection, { period: "2025-09", asOf: AS_OF, config: { imputation: "none" } });
    expect(await income(none.runId)).toMatchObject({ value: null, imputation: null });
  });
});

describe("interval (band) targets for supporting indicators", () => {
  it("scores a supporting indicator a department gives a band, piecewise, in its dimension", async () => {
    const run = await runEvaluation(w.connection, {
      period: "2025-09",
      asOf: AS_OF,
      config: { bands: { disposable_income_per_capita_urban: { lower: 80000, upper: 90000 } }, coverageThreshold: 0 },
    });
    const [urban] = await rows(
      "SELECT value, target_op, band_lower, band_upper, realisation, method, dimension_code FROM " +
        "eval_indicator_score WHERE run_id = $1 AND region_code = '330000' AND indicator_code = " +
        "'disposable_income_per_capita_urban'",
      [run.runId],
    );
    // 74,000 below the band's floor of 80,000: 74,000 / 80,000.
    expect(urban).toMatchObject({
      value: 74000,
      target_op: "band",
      band_lower: 80000,
      band_upper: 90000,
      method: "band",
    });
    expect(urban!["realisation"]).toBeCloseTo(74000 / 80000, 12);
    await expect(
      runEvaluation(w.connection, {
        period: "2025-09",
        asOf: AS_OF,
        config: { bands: { life_expectancy: { lower: 1, upper: 2 } } },
      }),
    ).rejects.toThrow(/evaluate\.bands\.life_expectancy: not a supporting indicator/);
  });
});

describe("entropy conventions and outlier treatment", () => {
  it("weights by the sum convention on request, beside the default min-max one", async () => {
    const weights = async (convention: "minmax" | "sum") => {
      const run = await runEvaluation(w.connection, {
        period: "2025-09",
        asOf: AS_OF,
        config: { entropyConvention: convention, sensitivity: { draws: 20 } },
      });
      return rows("SELECT indicator_code, weight FROM eval_weight WHERE run_id = $1 AND scope = 'cities' ORDER BY 1", [
        run.runId,
      ]);
    };
    const minmax = await weights("minmax");
    const sum = await weights("sum");
    expect(minmax.map((r) => r["indicator_code"])).toEqual(sum.map((r) => r["indicator_code"]));
    expect(sum.reduce((a, r) => a + Number(r["weight"]), 0)).toBeCloseTo(1, 12);
  });

  it("winsorises disparity and TOPSIS inputs when asked, says so, and shows the other setting's ranks", async () => {
    const run = await runEvaluation(w.connection, {
      period: "2025-09",
      asOf: AS_OF,
      config: { outliers: { winsorize: true, lower: 0.1, upper: 0.9 }, sensitivity: { draws: 20 } },
    });
    const notes = await rows(
      "SELECT measure, note FROM eval_disparity WHERE run_id = $1 AND scope = 'cities' AND group_code IS NULL ORDER BY 1",
      [run.runId],
    );
    expect(notes.find((n) => n["measure"] === "gini")!["note"]).toMatch(
      /winsorised 缩尾 at 10%-90%: 2 value\(s\) pulled in/,
    );
    expect(notes.find((n) => n["measure"] === "max_min_ratio")!["note"] ?? "").not.toMatch(/winsorised/);
    const other = await rows(
      "SELECT count(*) FILTER (WHERE topsis_rank_other_outliers IS NOT NULL) AS n FROM " +
        "eval_sensitivity WHERE run_id = $1 AND scope = 'cities'",
      [run.runId],
    );
    expect(Number(other[0]!["n"])).toBeGreaterThan(0);
  });
});
