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
  /** A dimension is flagged when its coverage is below this (default 0.5). */
  readonly coverageThreshold?: number;
}

export interface DimensionScore {
  readonly dimension: string;
  readonly score: number | null;
  readonly coverage: number;
  readonly indicators: number;
  readonly flagged: boolean;
  /** False when no indicator of the dimension has a score (including dimensions with none). */
  readonly scored: boolean;
  readonly weight: number;
}

export interface DimensionScoresResult {
  readonly dimensions: readonly DimensionScore[];
  /** Composite over scored dimensions; coverage = scored dimensions / listed dimensions. */
  readonly composite: CompositeResult;
}

/**
 * Groups indicator scores by dimension, scores each dimension with compositeScore and
 * combines the scored dimensions (equal weights unless `dimensionWeights` is given).
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
    return {
      dimension,
      score: c.score,
      coverage: c.coverage,
      indicators: c.total,
      flagged: c.coverage < threshold,
      scored: c.score !== null,
      weight,
    };
  });
  const composite = compositeScore(
    dimensions.map((d) => ({ score: d.score, weight: d.weight })),
    { method: options.acrossMethod ?? options.method },
  );
  return { dimensions, composite };
}
