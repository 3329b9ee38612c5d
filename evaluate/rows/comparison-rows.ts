// Table rows for the cross-region results: disparity, rankings, sensitivity and the weights used.
import type { EvalConfig } from "../eval-config.ts";
import type { Row } from "../tables/index.ts";
import type { DisparityRow } from "../compare/disparity-rows.ts";
import { SCOPE_LEVEL, type Ranking } from "../compare/rankings.ts";
import type { IndicatorWeight } from "../score/indicator-weights.ts";
import type { RegionResult } from "../score/score-regions.ts";
import { comparableRanks } from "../score/comparable-ranks.ts";

export function disparityTableRows(runId: string, rows: readonly DisparityRow[]): Row[] {
  return rows.map((d) => ({
    run_id: runId,
    measure: d.measure,
    scope: d.scope,
    group_code: d.group,
    value: d.value,
    target: d.target,
    meets_target: d.meetsTarget,
    weighted: d.weighted,
    units: d.units,
    note: d.note,
  }));
}

export function rankingTableRows(runId: string, r: Ranking): Row[] {
  const included = r.matrix.regions.map((region, i): Row => {
    const t = r.topsis?.[i];
    return {
      run_id: runId,
      scope: r.scope,
      region_code: region,
      closeness: t?.closeness ?? null,
      d_plus: t?.dPlus ?? null,
      d_minus: t?.dMinus ?? null,
      rank: t?.rank ?? null,
      included: t !== undefined,
      note: t
        ? r.winsorized > 0
          ? `inputs winsorised 缩尾 (${r.winsorized} value(s) pulled in to the quantiles)`
          : null
        : "too few regions or indicators to rank",
    };
  });
  const excluded = r.matrix.excluded.map(
    (e): Row => ({
      run_id: runId,
      scope: r.scope,
      region_code: e.region,
      closeness: null,
      d_plus: null,
      d_minus: null,
      rank: null,
      included: false,
      note: `missing ${e.missing.length} indicator(s) 缺少指标: ${e.missing.slice(0, 5).join(", ")}${e.missing.length > 5 ? ", …" : ""}`,
    }),
  );
  return [...included, ...excluded];
}

/** Composite ranks of a level's comparable regions under one realisation method (null when not ranked). */
function compositeRanks(results: readonly RegionResult[], method: "ratio" | "progress"): Map<string, number | null> {
  const ranks = comparableRanks(results.map((r) => ({ code: r.region.code, result: r[method] })));
  return new Map([...ranks].map(([code, r]) => [code, r.rank] as const));
}

export function sensitivityTableRows(
  runId: string,
  r: Ranking,
  results: readonly RegionResult[],
  config: EvalConfig,
): Row[] {
  const level = results.filter((x) => x.region.level === SCOPE_LEVEL[r.scope]);
  const byRatio = compositeRanks(level, "ratio");
  const byProgress = compositeRanks(level, "progress");
  const sens = new Map(r.matrix.regions.map((region, i) => [region, r.sensitivity?.[i]] as const));
  const other = new Map(r.matrix.regions.map((region, i) => [region, r.otherOutlierRanks?.[i] ?? null] as const));
  return level.map((x): Row => {
    const s = sens.get(x.region.code);
    return {
      run_id: runId,
      scope: r.scope,
      region_code: x.region.code,
      base_rank: s?.baseRank ?? null,
      median_rank: s?.medianRank ?? null,
      p05: s?.p05 ?? null,
      p95: s?.p95 ?? null,
      draws: config.sensitivity.draws,
      seed: config.sensitivity.seed,
      perturbation: config.sensitivity.perturbation,
      composite_rank_ratio: byRatio.get(x.region.code) ?? null,
      composite_rank_progress: byProgress.get(x.region.code) ?? null,
      topsis_rank_other_outliers: other.get(x.region.code) ?? null,
    };
  });
}

export function weightTableRows(
  runId: string,
  composite: readonly IndicatorWeight[],
  rankings: readonly Ranking[],
): Row[] {
  const forComposite = composite.map(
    (w): Row => ({
      run_id: runId,
      scope: "composite",
      indicator_code: w.indicator,
      dimension_code: w.dimension,
      weight: w.weight,
      entropy: w.entropy,
      divergence: w.divergence,
      source: w.source,
    }),
  );
  const forRankings = rankings.flatMap((r) =>
    r.entropy === null
      ? []
      : r.matrix.columns.map(
          (c, j): Row => ({
            run_id: runId,
            scope: r.scope,
            indicator_code: c.code,
            dimension_code: c.dimension,
            weight: r.entropy!.weights[j]!,
            entropy: r.entropy!.entropy[j]!,
            divergence: r.entropy!.divergence[j]!,
            source: "entropy",
          }),
        ),
  );
  return [...forComposite, ...forRankings];
}
