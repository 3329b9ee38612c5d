// Table rows for the per-region results: indicator scores, observations used, dimensions, composites.
import type { EvalConfig } from "../eval-config.ts";
import type { Row } from "../tables/index.ts";
import type { IndicatorWeight } from "../score/indicator-weights.ts";
import { methodLabel, type IndicatorScore } from "../score/score-indicator.ts";
import type { RegionResult } from "../score/score-regions.ts";
import { contribution, dimensionShares } from "./contributions.ts";
import { comparableRanks, type CompositeRank } from "../score/comparable-ranks.ts";

/** How the value of a cell came about: observed for the period, carried forward, interpolated, or none. */
function imputationOf(s: IndicatorScore): string | null {
  if (s.picked === null) return null;
  if (s.picked.imputed === "linear") return "linear";
  return s.carriedForward ? "carry_forward" : "observed";
}

function indicatorRows(
  runId: string,
  r: RegionResult,
  weights: ReadonlyMap<string, IndicatorWeight>,
  config: EvalConfig,
): Row[] {
  const result = r[config.method];
  const shares = dimensionShares(result);
  const presentWeight = new Map<string, number>();
  for (const s of r.scores) {
    if (s[config.method].score !== null)
      presentWeight.set(
        s.indicator.dimension,
        (presentWeight.get(s.indicator.dimension) ?? 0) + (weights.get(s.indicator.code)?.weight ?? 1),
      );
  }
  return r.scores.map((s: IndicatorScore): Row => {
    const w = weights.get(s.indicator.code);
    const degree = s[config.method];
    const total = presentWeight.get(s.indicator.dimension) ?? 0;
    const inDim = degree.score !== null && total > 0 ? (w?.weight ?? 1) / total : null;
    // An indicator of a dimension left out by the coverage rule adds nothing to the composite: no contribution.
    const counted = result.dimensions.some((d) => d.dimension === s.indicator.dimension && d.scored);
    const share = inDim === null || !counted ? null : inDim * (shares.get(s.indicator.dimension) ?? 0);
    return {
      run_id: runId,
      region_code: r.region.code,
      indicator_code: s.indicator.code,
      dimension_code: s.indicator.dimension,
      value: s.picked?.value ?? null,
      period_used: s.picked?.period ?? null,
      vintage: s.picked?.vintage || null,
      carried_forward: s.carriedForward,
      age_months: s.ageMonths,
      derived: s.picked?.derivedFrom !== undefined && s.picked.imputed === undefined,
      target_op: config.bands[s.indicator.code] ? "band" : s.indicator.op,
      target: s.indicator.target,
      band_lower: config.bands[s.indicator.code]?.lower ?? null,
      band_upper: config.bands[s.indicator.code]?.upper ?? null,
      imputation: imputationOf(s),
      baseline: s.baseline,
      previous: s.previous,
      realisation: degree.score,
      method: methodLabel(degree),
      null_reason: s.nullReason,
      on_track: s.onTrack,
      path_value: s.pathValue,
      weight: w?.weight ?? 1,
      weight_source: w?.source ?? "equal",
      weight_in_dimension: inDim,
      contribution:
        share === null || degree.score === null ? null : contribution(degree.score, share, config.aggregation),
    };
  });
}

function usedRows(runId: string, r: RegionResult): Row[] {
  return r.scores.flatMap((s) =>
    s.used.map(
      (u): Row => ({
        run_id: runId,
        region_code: r.region.code,
        indicator_code: s.indicator.code,
        role: u.role,
        source_region: u.obs.region,
        source_indicator: u.obs.indicator,
        period: u.obs.period,
        value: u.obs.value,
        vintage: u.obs.vintage || null,
        obs_key: u.obs.obsKey,
      }),
    ),
  );
}

function dimensionRows(runId: string, r: RegionResult, config: EvalConfig): Row[] {
  const result = r[config.method];
  const shares = dimensionShares(result);
  return result.dimensions.map(
    (d): Row => ({
      run_id: runId,
      region_code: r.region.code,
      dimension_code: d.dimension,
      score: d.score,
      coverage: d.coverage,
      indicators: d.indicators,
      present: r.scores.filter((s) => s.indicator.dimension === d.dimension && s[config.method].score !== null).length,
      flagged: d.flagged,
      scored: d.scored,
      weight_coverage: d.weightCoverage,
      raw_score: d.rawScore,
      not_scored_reason: d.reason,
      weight: d.weight,
      contribution: d.score === null ? null : contribution(d.score, shares.get(d.dimension) ?? 0, config.aggregation),
    }),
  );
}

function compositeRows(runId: string, results: readonly RegionResult[], config: EvalConfig): Row[] {
  const rankOf = new Map<string, CompositeRank>();
  for (const level of ["province", "prefecture", "county"] as const) {
    const ranked = results
      .filter((r) => r.region.level === level)
      .map((r) => ({ code: r.region.code, result: r[config.method] }));
    for (const [code, rank] of comparableRanks(ranked)) rankOf.set(code, rank);
  }
  return results.map((r): Row => {
    const res = r[config.method];
    const rank = rankOf.get(r.region.code);
    return {
      run_id: runId,
      region_code: r.region.code,
      region_level: r.region.level,
      parent_code: r.region.parentCode,
      score: res.composite.score,
      coverage: res.composite.coverage,
      dimensions_scored: res.dimensions.filter((d) => d.scored).length,
      dimensions_flagged: res.dimensions.filter((d) => d.flagged).length,
      indicators_scored: r.scores.filter((s) => s[config.method].score !== null).length,
      aggregation: config.aggregation,
      rank_in_level: rank?.rank ?? null,
      dimensions_used: res.dimensions
        .filter((d) => d.scored)
        .map((d) => d.dimension)
        .join(","),
      dimensions_excluded: res.dimensions
        .filter((d) => d.reason === "below_coverage")
        .map((d) => d.dimension)
        .join(","),
      comparable: rank?.comparable ?? false,
      rank_note: rank?.note ?? null,
    };
  });
}

export function scoreTableRows(
  runId: string,
  results: readonly RegionResult[],
  weights: readonly IndicatorWeight[],
  config: EvalConfig,
) {
  const byCode = new Map(weights.map((w) => [w.indicator, w] as const));
  return {
    indicators: results.flatMap((r) => indicatorRows(runId, r, byCode, config)),
    used: results.flatMap((r) => usedRows(runId, r)),
    dimensions: results.flatMap((r) => dimensionRows(runId, r, config)),
    composites: compositeRows(runId, results, config),
  };
}
