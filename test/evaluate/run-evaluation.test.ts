import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Warehouse } from "../../load/index.ts";
import { DataError } from "../../runtime/errors.ts";
import { runEvaluation } from "../../evaluate/index.ts";
import { createSyntheticWarehouse, insertObservations } from "./synthetic-warehouse.ts";
import { provinceScenario } from "./scenario.ts";

const AS_OF = "2025-10-01T00:00:00Z";
let w: Warehouse;

async function rows(sql: string, params: (string | number)[] = []): Promise<Record<string, unknown>[]> {
  return (await w.connection.runAndReadAll(sql, params)).getRowObjectsJson() as Record<string, unknown>[];
}

async function score(runId: string, region: string, indicator: string): Promise<Record<string, unknown>> {
  const [r] = await rows(
    "SELECT * FROM eval_indicator_score WHERE run_id = $1 AND region_code = $2 AND indicator_code = $3",
    [runId, region, indicator],
  );
  return r!;
}

beforeEach(async () => {
  w = await createSyntheticWarehouse();
  await insertObservations(w.connection, provinceScenario());
});
afterEach(() => w.close());

describe("runEvaluation on hand-computed synthetic data", () => {
  it("scores each indicator with its value, period, carry-forward flag and realisation degree", async () => {
    const run = await runEvaluation(w.connection, { period: "2025-09", asOf: AS_OF });
    // 2024 income carried 9 months into 2025-09: 67,500 / 75,000 = 0.9; the path 50,000 -> 75,000 is at 70,000 in 2024.
    expect(await score(run.runId, "330000", "disposable_income_per_capita")).toMatchObject({
      value: 67500,
      period_used: "2024",
      carried_forward: true,
      age_months: 9,
      derived: false,
      target: 75000,
      baseline: 50000,
      realisation: 0.9,
      method: "ratio",
      on_track: false,
      path_value: 70000,
    });
    // A monthly trend indicator: 25 after 27 is an improvement for trend_down.
    expect(await score(run.runId, "330000", "pm25_concentration")).toMatchObject({
      value: 25,
      previous: 27,
      period_used: "2025-08",
      realisation: 1,
      method: "trend",
    });
    // The same month's value is not carried forward.
    expect(await score(run.runId, "330000", "surface_water_grade3_share")).toMatchObject({
      value: 95,
      carried_forward: false,
      age_months: 0,
      realisation: 1,
    });
    // No data: listed with a reason, never imputed.
    expect(await score(run.runId, "330000", "labor_share_of_gdp")).toMatchObject({
      value: null,
      realisation: null,
      null_reason: "no_observations",
    });
  });

  it("derives the city max/min ratio and the urban-rural ratio, and says so in the run", async () => {
    const run = await runEvaluation(w.connection, { period: "2025-09", asOf: AS_OF });
    const cityRatio = await score(run.runId, "330000", "city_income_max_min_ratio");
    expect(cityRatio).toMatchObject({ value: 1.6, derived: true, period_used: "2024" });
    expect(cityRatio["realisation"]).toBeCloseTo(1.55 / 1.6, 12); // 0.96875
    expect(await score(run.runId, "330000", "urban_rural_income_ratio")).toMatchObject({
      value: 1.85,
      derived: true,
      realisation: 1,
    });
    expect(run.derived.map((d) => `${d.indicator}@${d.region}:${d.periods.join(",")}`).sort()).toEqual([
      "city_income_max_min_ratio@330000:2024",
      "urban_rural_income_ratio@330000:2024",
    ]);
    const [stored] = await rows("SELECT CAST(derived AS VARCHAR) AS d FROM eval_run WHERE run_id = $1", [run.runId]);
    expect(String(stored!["d"])).toContain("city_income_max_min_ratio");
    // The derived ratio lists the eleven city observations it came from.
    const inputs = await rows(
      "SELECT count(*) AS n FROM eval_observation_used WHERE run_id = $1 AND indicator_code = " +
        "'city_income_max_min_ratio' AND role = 'input'",
      [run.runId],
    );
    expect(Number(inputs[0]!["n"])).toBe(11);
  });

  it("aggregates dimensions and the composite with equal weights and lists D1 unscored with coverage 0", async () => {
    // The arithmetic without the coverage rule (threshold 0): the scenario has a few indicators per dimension only.
    const run = await runEvaluation(w.connection, { period: "2025-09", asOf: AS_OF, config: { coverageThreshold: 0 } });
    const dims = await rows(
      "SELECT dimension_code, score, coverage, present, indicators, flagged, scored FROM " +
        "eval_dimension_score WHERE run_id = $1 AND region_code = '330000' ORDER BY 1",
      [run.runId],
    );
    expect(dims[0]).toMatchObject({
      dimension_code: "D1",
      score: null,
      coverage: 0,
      indicators: 0,
      scored: false,
      flagged: true,
    });
    // D3: (0.9 + 1 + 0.96875) / 3 over 3 of its 20 target indicators.
    expect(dims[2]).toMatchObject({ dimension_code: "D3", present: 3, indicators: 20, scored: true, flagged: false });
    expect(dims[2]!["score"]).toBeCloseTo(2.86875 / 3, 12);
    expect(dims[2]!["coverage"]).toBeCloseTo(3 / 20, 12);
    const [province] = await rows(
      "SELECT score, coverage, dimensions_scored FROM eval_composite WHERE run_id = $1 AND region_code = '330000'",
      [run.runId],
    );
    // D3, D4 (life expectancy 1) and D6 (PM2.5 1, water 1) are scored: (0.95625 + 1 + 1) / 3.
    expect(province!["score"]).toBeCloseTo((0.95625 + 2) / 3, 12);
    expect(province).toMatchObject({ coverage: 3 / 7, dimensions_scored: 3 });
    // Contribution of income: 1/3 (its share of D3) × 1/3 (D3's share) × 0.9 = 0.1; contributions add up to the composite.
    expect((await score(run.runId, "330000", "disposable_income_per_capita"))["contribution"]).toBeCloseTo(0.1, 12);
    const [sum] = await rows(
      "SELECT sum(contribution) AS s FROM eval_indicator_score WHERE run_id = $1 AND region_code = '330000'",
      [run.runId],
    );
    expect(Number(sum!["s"])).toBeCloseTo(Number(province!["score"]), 12);
  });

  it("uses the progress method and geometric aggregation when asked", async () => {
    const run = await runEvaluation(w.connection, {
      period: "2025-09",
      asOf: AS_OF,
      config: { method: "progress", aggregation: "geometric", coverageThreshold: 0 },
    });
    // (67,500 - 50,000) / (75,000 - 50,000) = 0.7.
    expect(await score(run.runId, "330000", "disposable_income_per_capita")).toMatchObject({
      realisation: 0.7,
      method: "progress",
    });
    // Urban-rural: catalog baseline 1.96 -> target 1.9, value 1.85 is past the target: 1. City ratio: 1.64 -> 1.55,
    // at 1.6: (1.6 - 1.64) / (1.55 - 1.64).
    const cityProgress = (1.6 - 1.64) / (1.55 - 1.64);
    expect((await score(run.runId, "330000", "city_income_max_min_ratio"))["realisation"]).toBeCloseTo(
      cityProgress,
      12,
    );
    const d3 = Math.cbrt(0.7 * 1 * cityProgress);
    const [province] = await rows("SELECT score FROM eval_composite WHERE run_id = $1 AND region_code = '330000'", [
      run.runId,
    ]);
    expect(province!["score"]).toBeCloseTo(Math.cbrt(d3 * 1 * 1), 12);
    // Geometric contributions are factors whose product is the composite.
    const [product] = await rows(
      "SELECT exp(sum(ln(contribution))) AS p FROM eval_indicator_score WHERE run_id = $1 AND " +
        "region_code = '330000' AND contribution IS NOT NULL",
      [run.runId],
    );
    expect(Number(product!["p"])).toBeCloseTo(Number(province!["score"]), 12);
  });

  it("leaves a dimension with too little of its weight scored out of the composite, and says so", async () => {
    const run = await runEvaluation(w.connection, {
      period: "2025-09",
      asOf: AS_OF,
      config: { coverageThreshold: 0.1 },
    });
    const dims = await rows(
      `SELECT dimension_code, score, scored, flagged, weight_coverage, raw_score, not_scored_reason, contribution, indicators
       FROM eval_dimension_score WHERE run_id = $1 AND region_code = '330000' ORDER BY 1`,
      [run.runId],
    );
    // D3: 3 of 20 equal weights = 0.15 >= 0.1, scored; D4: 1 of its 27 < 0.1, not scored; D6: 2 of 9 >= 0.1, scored.
    expect(dims[2]).toMatchObject({ dimension_code: "D3", scored: true, flagged: false, not_scored_reason: null });
    expect(dims[3]).toMatchObject({
      dimension_code: "D4",
      score: null,
      scored: false,
      flagged: true,
      raw_score: 1,
      not_scored_reason: "below_coverage",
      contribution: null,
    });
    expect(dims[3]!["indicators"]).toBe(27);
    expect(dims[3]!["weight_coverage"]).toBeCloseTo(1 / 27, 12);
    expect(dims[0]).toMatchObject({ dimension_code: "D1", not_scored_reason: "no_indicators" });
    const [province] = await rows(
      "SELECT score, dimensions_scored, dimensions_used, dimensions_excluded FROM eval_composite " +
        "WHERE run_id = $1 AND region_code = '330000'",
      [run.runId],
    );
    expect(province).toMatchObject({ dimensions_scored: 2, dimensions_used: "D3,D6", dimensions_excluded: "D4" });
    expect(province!["score"]).toBeCloseTo((0.95625 + 1) / 2, 12);
    // Life expectancy counts for nothing once its dimension is left out.
    expect((await score(run.runId, "330000", "life_expectancy"))["contribution"]).toBeNull();
  });

  it("scores a province total (market entities, 万户) for the province only, never against a city", async () => {
    await insertObservations(w.connection, [
      { indicator: "market_entities", region: "330000", period: "2024", value: 990, vintage: "2025-02-01T00:00:00Z" },
      { indicator: "market_entities", region: "330100", period: "2024", value: 180, vintage: "2025-02-01T00:00:00Z" },
    ]);
    const run = await runEvaluation(w.connection, { period: "2025-09", asOf: AS_OF });
    expect(await score(run.runId, "330000", "market_entities")).toMatchObject({ value: 990, realisation: 0.9 });
    expect(
      await rows(
        "SELECT * FROM eval_indicator_score WHERE run_id = $1 AND region_code = '330100' AND indicator_code = 'market_entities'",
        [run.runId],
      ),
    ).toEqual([]);
    const [d2] = await rows(
      "SELECT indicators FROM eval_dimension_score WHERE run_id = $1 AND region_code = '330100' AND dimension_code = 'D2'",
      [run.runId],
    );
    // D2 for a city: 5G/gigabit coverage and GDP per capita; market entities and high-tech value added are province totals.
    expect(d2).toEqual({ indicators: 2 });
  });

  it("measures disparity: the 1.55 max/min ratio and Theil T split between and within cities", async () => {
    const run = await runEvaluation(w.connection, { period: "2025-09", asOf: AS_OF });
    const d = await rows(
      "SELECT measure, scope, group_code, value, target, meets_target, weighted, units FROM eval_disparity WHERE run_id = $1",
      [run.runId],
    );
    const find = (measure: string, scope: string, group: string | null = null) =>
      d.find((x) => x["measure"] === measure && x["scope"] === scope && x["group_code"] === group);
    expect(find("max_min_ratio", "cities")).toMatchObject({
      value: 1.6,
      target: 1.55,
      meets_target: false,
      units: 11,
      weighted: false,
    });
    // Counties: Hangzhou 40,000 ×2 and Lishui 80,000 ×2, equal populations. Within = 0;
    // between = (1/3) ln((1/3)/(1/2)) + (2/3) ln((2/3)/(1/2)) = 0.0566330.
    const between = (1 / 3) * Math.log(2 / 3) + (2 / 3) * Math.log(4 / 3);
    expect(find("theil_t", "counties")).toMatchObject({ weighted: true, units: 4 });
    expect(find("theil_t", "counties")!["value"]).toBeCloseTo(between, 12);
    expect(find("theil_between", "counties")!["value"]).toBeCloseTo(between, 12);
    expect(find("theil_within", "counties")!["value"]).toBeCloseTo(0, 12);
    expect(find("theil_between", "counties", "331100")!["value"]).toBeCloseTo((2 / 3) * Math.log(4 / 3), 12);
    expect(find("urban_rural_ratio", "province")).toMatchObject({ value: 1.85, meets_target: true });
  });

  it("ranks the cities by TOPSIS with a sensitivity interval for each", async () => {
    const run = await runEvaluation(w.connection, {
      period: "2025-09",
      asOf: AS_OF,
      config: { sensitivity: { draws: 200 } },
    });
    const ranking = await rows(
      "SELECT region_code, rank, closeness FROM eval_ranking WHERE run_id = $1 AND scope = 'cities' ORDER BY rank",
      [run.runId],
    );
    // One indicator (income): closeness is the min-max position, (x - 50,000) / 30,000.
    expect(ranking.map((r) => r["region_code"])).toEqual([
      "330100",
      "330200",
      "330300",
      "330400",
      "330500",
      "330600",
      "330700",
      "330800",
      "330900",
      "331000",
      "331100",
    ]);
    expect(ranking[2]!["closeness"]).toBeCloseTo(20000 / 30000, 12);
    const sens = await rows(
      "SELECT region_code, median_rank, p05, p95, draws FROM eval_sensitivity WHERE run_id = $1 " +
        "AND scope = 'cities' AND region_code = '330300'",
      [run.runId],
    );
    // A single indicator cannot be re-weighted into another order.
    expect(sens[0]).toMatchObject({ median_rank: 3, p05: 3, p95: 3, draws: 200 });
  });

  it("records a run that fails on bad data as failed, with the reason", async () => {
    await insertObservations(w.connection, [
      {
        indicator: "disposable_income_per_capita",
        region: "330200",
        period: "2025",
        value: 0,
        vintage: "2025-09-01T00:00:00Z",
      },
    ]);
    const failed = runEvaluation(w.connection, { period: "2025", asOf: AS_OF });
    await expect(failed).rejects.toBeInstanceOf(DataError);
    await expect(failed).rejects.toThrow(/values\[1\] must be > 0/);
    const [r] = await rows("SELECT status, attempts, error FROM eval_run WHERE period = '2025'");
    expect(r).toMatchObject({ status: "failed", attempts: 1 });
    expect(String(r!["error"])).toMatch(/must be > 0/);
    const scores = await rows("SELECT count(*) AS n FROM eval_indicator_score");
    expect(Number(scores[0]!["n"])).toBe(0);
  });
});
