import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Warehouse } from "../../load/index.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { runEvaluation } from "../../evaluate/index.ts";
import { explainRegion, findRunRef, formatExplanation } from "../../report/index.ts";
import { createSyntheticWarehouse, insertObservations } from "../evaluate/synthetic-warehouse.ts";
import { provinceScenario } from "../evaluate/scenario.ts";

let w: Warehouse;

// Read-only tests share one evaluated warehouse.
beforeAll(async () => {
  w = await createSyntheticWarehouse();
  await insertObservations(w.connection, provinceScenario());
  await runEvaluation(w.connection, {
    period: "2025-09",
    asOf: "2025-10-01T00:00:00Z",
    // The hand-computed arithmetic without the coverage rule: the scenario has a few indicators per dimension only.
    config: { sensitivity: { draws: 50 }, coverageThreshold: 0 },
  });
});
afterAll(() => w.close());

describe("explain", () => {
  it("walks from the composite through dimensions and indicators to the observations and their source lines", async () => {
    const run = await findRunRef(w.connection, { period: "2025-09" });
    const e = await explainRegion(w.connection, run, "330000");
    expect(e.composite["score"]).toBeCloseTo((0.95625 + 2) / 3, 12);
    expect(e.dimensions.map((d) => d.code)).toEqual(["D1", "D2", "D3", "D4", "D5", "D6", "D7"]);
    const income = e.dimensions
      .find((d) => d.code === "D3")!
      .indicators.find((i) => i.code === "disposable_income_per_capita")!;
    expect(income.score).toMatchObject({
      value: 67500,
      target: 75000,
      realisation: 0.9,
      period_used: "2024",
      carried_forward: true,
    });
    expect(income.score["contribution"]).toBeCloseTo(0.1, 12);
    expect(income.observations).toEqual([
      {
        role: "value",
        region: "330000",
        indicator: "disposable_income_per_capita",
        period: "2024",
        value: 67500,
        unit: "元",
        vintage: "2025-01-20T02:00:00Z",
        source: { feed: "synthetic", uri: "stats/income-2024.csv", position: "line 2", line: 2 },
      },
      {
        role: "baseline",
        region: "330000",
        indicator: "disposable_income_per_capita",
        period: "2020",
        value: 50000,
        unit: "元",
        vintage: "2021-01-20T02:00:00Z",
        source: { feed: "synthetic", uri: "stats/income-2020.csv", position: "line 2", line: 2 },
      },
    ]);

    const text = formatExplanation(e);
    expect(text).toContain("composite 综合得分 98.5%");
    expect(text).toMatch(/D1 .*not scored 未计分 · coverage 0\/0 \(no quantitative target/);
    expect(text).toMatch(
      new RegExp(
        /disposable_income_per_capita 居民人均可支配收入: 67,500 元 \(2024, carried forward 9 months 沿用\) · /.source +
          /target >= 75,000 元 · realisation 实现度 90\.0% \(ratio\)/.source,
      ),
    );
    expect(text).toContain("stats/income-2024.csv line 2 (feed synthetic)");
    // A derived value names the eleven city lines it was computed from; the catalog baseline says where it came from.
    expect(text).toContain("derived here from the inputs listed");
    expect(text).toContain("stats/income-2024.csv line 20 (feed synthetic)");
    expect(text).toMatch(/baseline 330000 city_income_max_min_ratio 2020 = 1\.64 .*catalog baseline/);
  });

  it("narrows to the indicators asked for, and refuses unknown ones", async () => {
    const run = await findRunRef(w.connection, { period: "2025-09" });
    const e = await explainRegion(w.connection, run, "330000", ["pm25_concentration"]);
    expect(e.dimensions.map((d) => [d.code, d.indicators.map((i) => i.code)])).toEqual([
      ["D6", ["pm25_concentration"]],
    ]);
    expect(formatExplanation(e)).toMatch(/previous 330000 pm25_concentration 2025-07 = 27 .*env\/pm25\.ndjson line 7/);
    await expect(explainRegion(w.connection, run, "330000", ["no_such_indicator"])).rejects.toBeInstanceOf(ConfigError);
  });

  it("says plainly when a region or a period has nothing to explain", async () => {
    const run = await findRunRef(w.connection, { period: "2025-09" });
    await expect(explainRegion(w.connection, run, "330381")).rejects.toThrow(/region 330381 has no scores/);
    await expect(findRunRef(w.connection, { period: "2025-08" })).rejects.toThrow(
      /no successful run for period 2025-08/,
    );
  });
});
