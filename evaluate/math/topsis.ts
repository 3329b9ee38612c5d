// TOPSIS 逼近理想解排序法 (Hwang & Yoon 1981): closeness to the ideal region.
import type { Direction } from "./normalize.ts";
import { competitionRanks } from "./rank.ts";
import { checkWeights, topsisInto, topsisKernel } from "./topsis-kernel.ts";
import type { TopsisNormalization } from "./topsis-kernel.ts";
import { at } from "./validate.ts";

export interface TopsisRow {
  readonly dPlus: number;
  readonly dMinus: number;
  /** D⁻ / (D⁺ + D⁻) in [0, 1]; 0.5 when the row coincides with both ideal points. */
  readonly closeness: number;
  /** Competition rank by closeness, 1 = best; ties share the best rank (1, 1, 3). */
  readonly rank: number;
}

/**
 * TOPSIS over rows = regions, cols = indicators. Normalisation "minmax" (direction applied,
 * ideal = column max) or "vector" (x/‖x‖, ideal = max for "higher", min for "lower").
 * Weighted matrix v_ij = w_j r_ij; D± = Euclidean distance to the ideal / anti-ideal.
 * Weights must be ≥ 0 with a positive sum; scaling all weights leaves closeness unchanged.
 * When every row is identical all closeness values are 0.5 and all ranks 1.
 */
export function topsis(
  matrix: readonly (readonly number[])[],
  weights: readonly number[],
  directions: readonly Direction[],
  options: { readonly normalization: TopsisNormalization },
): TopsisRow[] {
  const k = topsisKernel(matrix, directions, options.normalization);
  checkWeights(weights, k.cols);
  const dPlus = new Float64Array(k.rows);
  const dMinus = new Float64Array(k.rows);
  const closeness = new Float64Array(k.rows);
  topsisInto(k, weights, dPlus, dMinus, closeness);
  const ranks = competitionRanks([...closeness]);
  return ranks.map((rank, i) => ({
    dPlus: at(dPlus, i),
    dMinus: at(dMinus, i),
    closeness: at(closeness, i),
    rank,
  }));
}
