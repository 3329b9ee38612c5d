// The whole evaluation of one period as a pure function of the catalog, the observations and the configuration.
import { periodEnd } from "../schemas/index.ts";
import type { EvalConfig } from "./eval-config.ts";
import { deriveIndicators, type DerivedSummary } from "./derive.ts";
import { snapshotOf, type EvalCatalog, type ObsRow } from "./model.ts";
import { createValuePicker } from "./inputs/pick-value.ts";
import { disparityRows, type DisparityRow } from "./compare/disparity-rows.ts";
import { matrixFor, rank, type Ranking } from "./compare/rankings.ts";
import { indicatorWeights, type IndicatorWeight } from "./score/indicator-weights.ts";
import { scoredIndicators, scoreIndicators, scoreRegions, type RegionResult } from "./score/score-regions.ts";

export interface ComputedRun {
  readonly derived: readonly DerivedSummary[];
  readonly regions: readonly RegionResult[];
  readonly weights: readonly IndicatorWeight[];
  readonly rankings: readonly Ranking[];
  readonly disparity: readonly DisparityRow[];
  readonly timings: { readonly scoreMs: number; readonly rankMs: number; readonly disparityMs: number };
}

/** Derives, scores, weights, aggregates, ranks (with sensitivity) and measures disparity for `period`. */
export function computeRun(
  catalog: EvalCatalog,
  observations: readonly ObsRow[],
  period: string,
  config: EvalConfig,
): ComputedRun {
  const t0 = performance.now();
  const snapshot = snapshotOf(observations);
  const derived = deriveIndicators(snapshot, catalog);
  const targetEnd = periodEnd(period);
  const trend = new Set(
    catalog.indicators.filter((i) => i.op === "trend_up" || i.op === "trend_down").map((i) => i.code),
  );
  const pick = createValuePicker(snapshot, targetEnd, config.staleness, {
    imputation: config.imputation,
    period,
    interpolable: (code) => !trend.has(code),
  });
  const scored = scoreIndicators(catalog, snapshot, pick, config);
  const indicators = scoredIndicators(catalog, config);
  const withData = new Set(scored.keys());
  // Bands have no direction: TOPSIS and the entropy matrix use the plan's directed targets only.
  const directed = indicators.filter((i) => i.op !== null);
  const cities = matrixFor("cities", catalog, directed, withData, pick, config);
  const weights = indicatorWeights(indicators, config, cities);
  const regions = scoreRegions(catalog, scored, weights, config);
  const t1 = performance.now();
  const rankings = [
    rank("cities", cities, config),
    rank("counties", matrixFor("counties", catalog, directed, withData, pick, config), config),
  ];
  const t2 = performance.now();
  const disparity = disparityRows(catalog, pick, config.outliers);
  const t3 = performance.now();
  const usedDerived = derived
    .map((d) => ({
      ...d,
      periods: d.periods.filter((p) =>
        regions.some(
          (r) =>
            r.region.code === d.region &&
            r.scores.some((s) => s.indicator.code === d.indicator && s.picked?.period === p),
        ),
      ),
    }))
    .filter((d) => d.periods.length > 0);
  return {
    derived: usedDerived,
    regions,
    weights,
    rankings,
    disparity,
    timings: { scoreMs: t1 - t0, rankMs: t2 - t1, disparityMs: t3 - t2 },
  };
}
