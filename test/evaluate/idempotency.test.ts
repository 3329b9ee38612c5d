import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Warehouse } from "../../load/index.ts";
import { runEvaluation } from "../../evaluate/index.ts";
import { createSyntheticWarehouse, insertObservations } from "./synthetic-warehouse.ts";
import { REVISED, REVISION, provinceScenario } from "./scenario.ts";

const RESULT_TABLES = [
  "eval_indicator_score",
  "eval_observation_used",
  "eval_dimension_score",
  "eval_composite",
  "eval_disparity",
  "eval_ranking",
  "eval_sensitivity",
  "eval_weight",
];
let w: Warehouse;

async function rows(sql: string, params: (string | number)[] = []): Promise<Record<string, unknown>[]> {
  return (await w.connection.runAndReadAll(sql, params)).getRowObjectsJson() as Record<string, unknown>[];
}

/** Every result row of a run without its id, in a stable order, for comparing two runs number by number. */
async function snapshot(runId: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of RESULT_TABLES)
    out[t] = await rows(`SELECT * EXCLUDE (run_id) FROM ${t} WHERE run_id = $1 ORDER BY ALL`, [runId]);
  return out;
}

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ["eval_run", ...RESULT_TABLES])
    out[t] = Number((await rows(`SELECT count(*) AS n FROM ${t}`))[0]!["n"]);
  return out;
}

async function provinceIncome(runId: string): Promise<unknown> {
  return (
    await rows(
      "SELECT value FROM eval_indicator_score WHERE run_id = $1 AND region_code = '330000' AND " +
        "indicator_code = 'disposable_income_per_capita'",
      [runId],
    )
  )[0]!["value"];
}

beforeEach(async () => {
  w = await createSyntheticWarehouse();
  await insertObservations(w.connection, provinceScenario());
});
afterEach(() => w.close());

describe("evaluation runs are idempotent", () => {
  it("gives the same run id for the same period, as-of and config, and never duplicates rows", async () => {
    const first = await runEvaluation(w.connection, {
      period: "2025-09",
      asOf: "2025-10-01T08:00:00+08:00",
      config: { sensitivity: { draws: 100 } },
    });
    const before = await counts();
    const numbers = await snapshot(first.runId);
    // The same instant spelled differently, and the same settings in another order, are the same run.
    const again = await runEvaluation(w.connection, {
      period: "2025-09",
      asOf: "2025-10-01T00:00:00Z",
      config: { sensitivity: { draws: 100 } },
    });
    expect(again).toMatchObject({ runId: first.runId, status: "unchanged" });
    expect(await counts()).toEqual(before);
    // Forcing recomputes into the same id: same numbers, same row counts.
    const forced = await runEvaluation(w.connection, {
      period: "2025-09",
      asOf: "2025-10-01T00:00:00Z",
      config: { sensitivity: { draws: 100 } },
      force: true,
    });
    expect(forced).toMatchObject({ runId: first.runId, status: "succeeded", attempts: 2 });
    expect(await counts()).toEqual(before);
    expect(await snapshot(first.runId)).toEqual(numbers);
    expect(before["eval_run"]).toBe(1);
  });

  it("gives a new run id when the period, the as-of or a setting changes", async () => {
    const base = await runEvaluation(w.connection, { period: "2025-09", asOf: "2025-10-01T00:00:00Z" });
    const ids = new Set([
      base.runId,
      (await runEvaluation(w.connection, { period: "2025Q3", asOf: "2025-10-01T00:00:00Z" })).runId,
      (await runEvaluation(w.connection, { period: "2025-09", asOf: "2025-10-02T00:00:00Z" })).runId,
      (
        await runEvaluation(w.connection, {
          period: "2025-09",
          asOf: "2025-10-01T00:00:00Z",
          config: { weights: "entropy" },
        })
      ).runId,
      (
        await runEvaluation(w.connection, {
          period: "2025-09",
          asOf: "2025-10-01T00:00:00Z",
          config: { sensitivity: { seed: 7 } },
        })
      ).runId,
    ]);
    expect(ids.size).toBe(5);
    // Expert weights only matter (and only change the id) with weights: config.
    const ignored = await runEvaluation(w.connection, {
      period: "2025-09",
      asOf: "2025-10-01T00:00:00Z",
      config: { expertWeights: { indicators: { life_expectancy: 3 }, dimensions: {} } },
    });
    expect(ignored).toMatchObject({ runId: base.runId, status: "unchanged" });
  });

  it("defaults the as-of to the newest vintage, so re-running without new data is a no-op", async () => {
    const now = () => new Date("2026-01-15T00:00:00Z");
    const first = await runEvaluation(w.connection, { period: "2025-09", now });
    expect(first).toMatchObject({
      asOf: "2025-09-25T00:00:00.000Z",
      asOfSource: "latest_vintage",
      status: "succeeded",
    });
    expect(await runEvaluation(w.connection, { period: "2025-09", now })).toMatchObject({
      runId: first.runId,
      status: "unchanged",
    });
  });

  it("recomputes, without duplicating, when an old vintage is loaded after the run", async () => {
    const first = await runEvaluation(w.connection, { period: "2025-09", asOf: "2025-10-01T00:00:00Z" });
    const before = await counts();
    // Published in January, loaded only now: what was known at 2025-10-01 has changed.
    await insertObservations(w.connection, [
      { indicator: "life_expectancy", region: "330100", period: "2024", value: 83, vintage: "2025-01-20T00:00:00Z" },
    ]);
    const again = await runEvaluation(w.connection, { period: "2025-09", asOf: "2025-10-01T00:00:00Z" });
    expect(again).toMatchObject({ runId: first.runId, status: "succeeded" });
    expect((await counts())["eval_run"]).toBe(before["eval_run"]);
    const [hz] = await rows(
      "SELECT value FROM eval_indicator_score WHERE run_id = $1 AND region_code = '330100' AND indicator_code = 'life_expectancy'",
      [first.runId],
    );
    expect(hz!["value"]).toBe(83);
  });
});

describe("evaluation as of a moment", () => {
  it("changes the run with a later revision only when the as-of is after its publication", async () => {
    const early = await runEvaluation(w.connection, { period: "2025-09", asOf: "2025-05-31T00:00:00Z" });
    const earlyNumbers = await snapshot(early.runId);
    expect(await provinceIncome(early.runId)).toBe(67500);

    await insertObservations(w.connection, [REVISION]);

    // Before the revision was published: recomputed from scratch, the same numbers as before.
    const earlyAgain = await runEvaluation(w.connection, {
      period: "2025-09",
      asOf: "2025-05-31T00:00:00Z",
      force: true,
    });
    expect(earlyAgain.runId).toBe(early.runId);
    expect(await snapshot(early.runId)).toEqual(earlyNumbers);

    // Exactly at and after the publication: the revised 69,000 (realisation 0.92), in a different run.
    const atRevision = await runEvaluation(w.connection, { period: "2025-09", asOf: REVISED });
    const late = await runEvaluation(w.connection, { period: "2025-09", asOf: "2025-07-01T00:00:00Z" });
    expect(late.runId).not.toBe(early.runId);
    for (const run of [atRevision, late]) {
      const [r] = await rows(
        "SELECT value, realisation, vintage FROM eval_indicator_score WHERE run_id = $1 AND " +
          "region_code = '330000' AND indicator_code = 'disposable_income_per_capita'",
        [run.runId],
      );
      expect(r).toMatchObject({ value: 69000, realisation: 0.92 });
    }
    // The early run is still there, untouched.
    expect(await provinceIncome(early.runId)).toBe(67500);
  });
});
