// Weighted composite of indicator scores that skips missing scores and renormalises weights.
import { MathInputError } from "./errors.ts";
import { finite, nonNegative } from "./validate.ts";

export type CompositeMethod = "arithmetic" | "geometric";

export interface ScoreItem {
  readonly score: number | null;
  readonly weight?: number;
}

export interface CompositeResult {
  /** Weighted mean over present items; null when no present item carries weight. */
  readonly score: number | null;
  /** Present items / all items (0 for an empty list). */
  readonly coverage: number;
  /** Weight of present items / weight of all items (0 for an empty list). */
  readonly weightUsed: number;
  readonly present: number;
  readonly total: number;
}

/**
 * Composite 综合得分 of scores (weight defaults to 1). Null scores are skipped and the
 * remaining weights renormalised. Arithmetic: Σ w·s / Σ w. Geometric: Π s^(w/Σw), so any
 * zero score with positive weight gives 0. Throws MathInputError on non-finite scores,
 * negative weights, negative scores under the geometric method, or all-zero weights.
 */
export function compositeScore(
  items: readonly ScoreItem[],
  options: { readonly method: CompositeMethod },
): CompositeResult {
  const { method } = options;
  if (method !== "arithmetic" && method !== "geometric") {
    throw new MathInputError("method", `must be "arithmetic" or "geometric", got ${String(method)}`);
  }
  let totalWeight = 0;
  let usedWeight = 0;
  let present = 0;
  let acc = 0;
  let hasZero = false;
  items.forEach((item, i) => {
    const w = nonNegative(item.weight ?? 1, `items[${i}].weight`);
    totalWeight += w;
    if (item.score === null) return;
    const s = finite(item.score, `items[${i}].score`);
    present += 1;
    usedWeight += w;
    if (method === "arithmetic") {
      acc += w * s;
    } else {
      if (s < 0) throw new MathInputError(`items[${i}].score`, `must be >= 0 for a geometric mean, got ${s}`);
      // A zero weight leaves its factor at s^0 = 1, even for s = 0.
      if (w > 0 && s === 0) hasZero = true;
      else if (w > 0) acc += w * Math.log(s);
    }
  });
  const total = items.length;
  if (total === 0) return { score: null, coverage: 0, weightUsed: 0, present: 0, total: 0 };
  if (totalWeight === 0) throw new MathInputError("items", "must carry some positive weight");
  const coverage = present / total;
  const weightUsed = usedWeight / totalWeight;
  if (usedWeight === 0) return { score: null, coverage, weightUsed, present, total };
  const score = method === "arithmetic" ? acc / usedWeight : hasZero ? 0 : Math.exp(acc / usedWeight);
  return { score, coverage, weightUsed, present, total };
}
