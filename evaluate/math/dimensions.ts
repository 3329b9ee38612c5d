// Indicator scores grouped by dimension code, then a composite across dimensions.
import { compositeScore } from "./composite.ts";
import type { CompositeMethod, CompositeResult } from "./composite.ts";
import { MathInputError } from "./errors.ts";
import { finite } from "./validate.ts";

export interface DimensionIndicator {
  readonly dimension: string;
  readonly score: number | null;
  readonly weight?: number;
}

export interface DimensionScoresOptions {
  /** Method within each dimension. */
  readonly method: CompositeMethod;
  /** Method across dimensions; defaults to `method`. */
  readonly acrossMethod?: CompositeMethod;
  /** Every dimension code to report, so dimensions without indicators are listed too. */
  readonly dimensions?: readonly string[];
  /** Weight per dimension code; a dimension not named gets weight 1. */
  readonly dimensionWeights?: Readonly<Record<string, number>>;
  /**
   * Minimum share of a dimension's indicator weight that must carry a score (default 0.5). Below it the dimension
   * is flagged and not scored, and the composite leaves it out (docs/METHOD.md §3.3); 0 scores any dimension with
   * one score.
   */
  readonly coverageThreshold?: number;
}

/** Why a dimension has no score: no indicators at all, none with a score, or too little of its weight scored. */
export type NotScoredReason = "no_indicators" | "no_scores" | "below_coverage";

export interface DimensionScore {
  readonly dimension: string;
  /** Null when not scored (see `reason`). */
  readonly score: number | null;
  /** Scored indicators / indicators. */
  readonly coverage: number;
  /** Weight of the scored indicators / weight of all the dimension's indicators: what the threshold applies to. */
  readonly weightCoverage: number;
  readonly indicators: number;
  /** No indicators, or weight coverage below the threshold: the dimension is not scored. */
  readonly flagged: boolean;
  /** False when the dimension has no score; `reason` says why. */
  readonly scored: boolean;
  readonly reason: NotScoredReason | null;
  /** The mean over the indicators present, before the coverage rule (null when none has a score). */
  readonly rawScore: number | null;
  readonly weight: number;
}

export interface DimensionScoresResult {
  readonly dimensions: readonly DimensionScore[];
  /** Composite over scored dimensions; coverage = scored dimensions / listed dimensions. */
  readonly composite: CompositeResult;
}

/**
 * Groups indicator scores by dimension, scores each dimension with compositeScore, leaves out a dimension whose
 * scored weight is below `coverageThreshold`, and combines the scored dimensions (equal weights unless
 * `dimensionWeights` is given).
 * Dimensions come in the order of `options.dimensions`, then any others in first-seen order.
 */
export function dimensionScores(
  indicators: readonly DimensionIndicator[],
  options: DimensionScoresOptions,
): DimensionScoresResult {
  const threshold = finite(options.coverageThreshold ?? 0.5, "coverageThreshold");
  const groups = new Map<string, DimensionIndicator[]>();
  for (const code of options.dimensions ?? []) groups.set(code, []);
  indicators.forEach((ind, i) => {
    if (ind.dimension === "") throw new MathInputError(`indicators[${i}].dimension`, "must not be empty");
    const list = groups.get(ind.dimension) ?? [];
    list.push(ind);
    groups.set(ind.dimension, list);
  });
  const dimensions = [...groups].map(([dimension, list]): DimensionScore => {
    const c = compositeScore(list, { method: options.method });
    const weight = finite(options.dimensionWeights?.[dimension] ?? 1, `dimensionWeights.${dimension}`);
    const below = c.score !== null && c.weightUsed < threshold;
    const reason: NotScoredReason | null =
      c.total === 0 ? "no_indicators" : c.score === null ? "no_scores" : below ? "below_coverage" : null;
    return {
      dimension,
      score: reason === null ? c.score : null,
      coverage: c.coverage,
      weightCoverage: c.weightUsed,
      indicators: c.total,
      flagged: c.total === 0 || c.weightUsed < threshold,
      scored: reason === null,
      reason,
      rawScore: c.score,
      weight,
    };
  });
  const composite = compositeScore(
    dimensions.map((d) => ({ score: d.score, weight: d.weight })),
    { method: options.acrossMethod ?? options.method },
  );
  return { dimensions, composite };
}
