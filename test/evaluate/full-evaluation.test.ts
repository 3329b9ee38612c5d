import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Warehouse } from "../../load/index.ts";
import { defaultCatalog } from "../../schemas/index.ts";
import { benchmarkFullEvaluation } from "../../evaluate/index.ts";
import { createSyntheticWarehouse } from "./synthetic-warehouse.ts";

// The benchmark's shape, checked for completeness (never for speed): 102 regions × every indicator × 72 months.
let w: Warehouse;

async function rows(sql: string, params: (string | number)[] = []): Promise<Record<string, unknown>[]> {
  return (await w.connection.runAndReadAll(sql, params)).getRowObjectsJson() as Record<string, unknown>[];
}

beforeAll(async () => {
  w = await createSyntheticWarehouse();
  // Deterministic values between 60% and 110% of each target (supporting series around 100), published 20 days after each period.
  await w.connection.run(
    `INSERT INTO fact_observation (obs_key, indicator_code, region_code, period, value, unit, ` +
      `vintage, source_feed, source_uri, source_position, source_line, ingested_at)
    SELECT md5_number(i.code || r.code || p.period), i.code, r.code, p.period,
      CASE WHEN i.target_value > 0 THEN i.target_value * (0.6 + 0.5 * (hash(i.code || r.code || p.period) % 1000) / 1000.0)
           ELSE 100 + 50 * (hash(r.code || p.period || i.code) % 1000) / 1000.0 END,
      i.unit, CAST(p.end_date AS TIMESTAMPTZ) + INTERVAL 20 DAY, 'synthetic', ` +
      `'synthetic/full.csv', 'line 1', 1, TIMESTAMPTZ '2026-01-01 00:00:00+00'
    FROM dim_indicator i, dim_region r, dim_period p
    WHERE p.frequency = i.frequency AND p.year BETWEEN 2020 AND 2025`,
  );
}, 120_000);
afterAll(() => w.close());

describe("a full evaluation: 102 regions, every indicator, six years", () => {
  it("scores every region and indicator, ranks all cities and counties, and measures every disparity", async () => {
    const catalog = defaultCatalog();
    const targets = catalog.indicators.filter((i) => i.kind === "target" && i.targetOp !== null).length;
    const { result, steps } = await benchmarkFullEvaluation(w.connection, { config: { sensitivity: { draws: 200 } } });
    expect(result).toMatchObject({ period: "2025-12", status: "succeeded", regions: 102 });
    expect(Object.keys(steps)).toEqual(expect.arrayContaining(["readMs", "scoreMs", "rankMs", "writeMs", "totalMs"]));
    // Below the province, neither the two cross-region ratios nor the 13 province totals (counted in 万户, 万人, 个, 万套,
    // 万幢, 万人次 or 亿元) are scored.
    const [scores] = await rows(
      "SELECT count(*) AS n, count(realisation) AS scored FROM eval_indicator_score WHERE run_id = $1",
      [result.runId],
    );
    expect(Number(scores!["n"])).toBe(102 * targets - 101 * (2 + 13));
    const dims = await rows(
      "SELECT dimension_code, count(*) AS n, count(score) AS scored FROM eval_dimension_score WHERE run_id = $1 GROUP BY 1 ORDER BY 1",
      [result.runId],
    );
    expect(dims.map((d) => [d["dimension_code"], Number(d["n"]), Number(d["scored"])])).toEqual([
      ["D1", 102, 0],
      ...["D2", "D3", "D4", "D5", "D6", "D7"].map((d) => [d, 102, 102]),
    ]);
    const ranked = await rows(
      "SELECT scope, count(*) FILTER (WHERE included) AS n FROM eval_ranking WHERE run_id = $1 GROUP BY 1 ORDER BY 1",
      [result.runId],
    );
    expect(ranked.map((r) => [r["scope"], Number(r["n"])])).toEqual([
      ["cities", 11],
      ["counties", 90],
    ]);
    const theil = await rows(
      "SELECT measure, value, weighted, units FROM eval_disparity WHERE run_id = $1 AND scope = " +
        "'counties' AND group_code IS NULL AND measure LIKE 'theil%' ORDER BY 1",
      [result.runId],
    );
    expect(theil.map((t) => [t["measure"], t["weighted"], t["units"]])).toEqual([
      ["theil_between", true, 90],
      ["theil_t", true, 90],
      ["theil_within", true, 90],
    ]);
    expect(Number(theil[1]!["value"])).toBeCloseTo(Number(theil[0]!["value"]) + Number(theil[2]!["value"]), 12);
  });

  it("recomputes to the same numbers on every call", async () => {
    const first = await benchmarkFullEvaluation(w.connection, {
      period: "2025-06",
      config: { weights: "entropy", sensitivity: { draws: 100 } },
    });
    const before = await rows("SELECT region_code, score FROM eval_composite WHERE run_id = $1 ORDER BY 1", [
      first.result.runId,
    ]);
    const second = await benchmarkFullEvaluation(w.connection, {
      period: "2025-06",
      config: { weights: "entropy", sensitivity: { draws: 100 } },
    });
    expect(second.result.runId).toBe(first.result.runId);
    expect(
      await rows("SELECT region_code, score FROM eval_composite WHERE run_id = $1 ORDER BY 1", [first.result.runId]),
    ).toEqual(before);
    expect(before).toHaveLength(102);
  });
});
