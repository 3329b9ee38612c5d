// How much each indicator and dimension adds to a composite: a term (arithmetic) or a factor (geometric).
import type { DimensionScoresResult } from "../math/index.ts";

export interface Shares {
  /** Dimension weight over the weight of all scored dimensions; 0 for an unscored dimension. */
  readonly dimensionShare: ReadonlyMap<string, number>;
}

export function dimensionShares(result: DimensionScoresResult): ReadonlyMap<string, number> {
  const scored = result.dimensions.filter((d) => d.scored);
  const total = scored.reduce((s, d) => s + d.weight, 0);
  return new Map(result.dimensions.map((d) => [d.dimension, d.scored && total > 0 ? d.weight / total : 0] as const));
}

/** The part of the composite owed to a score with effective weight `share` (its weights multiplied through). */
export function contribution(score: number, share: number, aggregation: "arithmetic" | "geometric"): number {
  if (aggregation === "arithmetic") return share * score;
  // 0^0 = 1: a zero-weight item leaves the product unchanged.
  return share === 0 ? 1 : score ** share;
}
