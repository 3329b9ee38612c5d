// 熵权法 entropy weight method: objective indicator weights from cross-region dispersion.
import { column, checkDirections, minMaxNormalize } from "./normalize.ts";
import type { Direction } from "./normalize.ts";
import { at, matrixShape } from "./validate.ts";
import { MathInputError } from "./errors.ts";

/**
 * minmax: the Chinese 熵权法 textbooks' convention, p from min-max normalised values with the direction applied;
 * sum: the convention of pymcdm and pyrepo-mcda, p = x / Σx on the raw, non-negative values (direction ignored).
 */
export type EntropyConvention = "minmax" | "sum";

export interface EntropyWeightsResult {
  /** w_j = d_j / Σ d_k; non-negative and summing to 1. */
  readonly weights: readonly number[];
  /** e_j in [0, 1]; 1 for a constant column. */
  readonly entropy: readonly number[];
  /** d_j = 1 − e_j, the degree of divergence 差异系数. */
  readonly divergence: readonly number[];
  /** The matrix p was taken from (rows = regions): min-max normalised, or the raw values under `sum`. */
  readonly normalized: readonly (readonly number[])[];
  /** Why equal weights were returned instead of d_j / Σ d_k, if they were. */
  readonly equalWeightsBecause: "single_row" | "all_columns_constant" | null;
}

/**
 * Entropy weights for a matrix with rows = regions (m) and columns = indicators (n).
 * z = min-max normalised column; p_ij = z_ij / Σ_i z_ij; e_j = −(1/ln m) Σ_i p_ij ln p_ij
 * with 0·ln 0 = 0; d_j = 1 − e_j; w_j = d_j / Σ_k d_k. A constant column has e_j = 1 and
 * weight 0. With m = 1 or every column constant, weights are equal (1/n).
 */
export function entropyWeights(
  matrix: readonly (readonly number[])[],
  directions: readonly Direction[],
  options: { readonly convention?: EntropyConvention } = {},
): EntropyWeightsResult {
  const [m, n] = matrixShape(matrix, "matrix");
  checkDirections(directions, n);
  const cols =
    options.convention === "sum"
      ? directions.map((_, j) => sumColumn(column(matrix, j), j))
      : directions.map((dir, j) => minMaxNormalize(column(matrix, j), dir));
  const normalized = matrix.map((_, i) => cols.map((c) => at(c, i)));
  const entropy = cols.map((z) => columnEntropy(z, m));
  // Rounding can push e_j a hair above 1; divergence is never negative.
  const divergence = entropy.map((e) => Math.max(0, 1 - e));
  const sum = divergence.reduce((s, d) => s + d, 0);
  const equalWeightsBecause = m === 1 ? "single_row" : sum === 0 ? "all_columns_constant" : null;
  const weights = equalWeightsBecause === null ? divergence.map((d) => d / sum) : divergence.map(() => 1 / n);
  return { weights, entropy, divergence, normalized, equalWeightsBecause };
}

/** The raw column, checked: the sum convention needs non-negative values (p = x / Σx). */
function sumColumn(col: readonly number[], j: number): readonly number[] {
  col.forEach((x, i) => {
    if (x < 0) throw new MathInputError(`matrix[${i}][${j}]`, `must be >= 0 for the sum convention, got ${x}`);
  });
  return col;
}

function columnEntropy(z: readonly number[], m: number): number {
  const total = z.reduce((s, x) => s + x, 0);
  // A constant column normalises to zeros: no information, maximal entropy.
  if (total === 0 || m === 1) return 1;
  let h = 0;
  for (const x of z) {
    if (x > 0) {
      const p = x / total;
      h -= p * Math.log(p);
    }
  }
  return h / Math.log(m);
}
