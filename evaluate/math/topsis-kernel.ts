// Precomputed TOPSIS distances so re-weighting costs one multiply-add per cell.
import { MathInputError } from "./errors.ts";
import { checkDirections, column, minMaxNormalize, vectorNormalize } from "./normalize.ts";
import type { Direction } from "./normalize.ts";
import { at, matrixShape } from "./validate.ts";

export type TopsisNormalization = "minmax" | "vector";

export interface TopsisKernel {
  readonly rows: number;
  readonly cols: number;
  /** (best_j − r_ij)² and (r_ij − worst_j)² on the unweighted normalised matrix, row-major. */
  readonly gapPlus: Float64Array;
  readonly gapMinus: Float64Array;
}

/**
 * Normalises the matrix once. With weights w_j ≥ 0 the weighted ideal is w_j·best_j, so
 * D⁺_i = sqrt(Σ_j w_j² (best_j − r_ij)²) and likewise D⁻_i.
 */
export function topsisKernel(
  matrix: readonly (readonly number[])[],
  directions: readonly Direction[],
  normalization: TopsisNormalization,
): TopsisKernel {
  const [m, n] = matrixShape(matrix, "matrix");
  checkDirections(directions, n);
  if (normalization !== "minmax" && normalization !== "vector") {
    throw new MathInputError("normalization", `must be "minmax" or "vector", got ${String(normalization)}`);
  }
  const gapPlus = new Float64Array(m * n);
  const gapMinus = new Float64Array(m * n);
  directions.forEach((dir, j) => {
    const raw = column(matrix, j);
    const r = normalization === "minmax" ? minMaxNormalize(raw, dir) : vectorNormalize(raw);
    const hi = Math.max(...r);
    const lo = Math.min(...r);
    // Min-max already turned cost columns into benefit columns; vector did not.
    const costSide = normalization === "vector" && dir === "lower";
    const best = costSide ? lo : hi;
    const worst = costSide ? hi : lo;
    r.forEach((x, i) => {
      gapPlus[i * n + j] = (best - x) ** 2;
      gapMinus[i * n + j] = (x - worst) ** 2;
    });
  });
  return { rows: m, cols: n, gapPlus, gapMinus };
}

/** Validates weights: n finite entries ≥ 0 with a positive sum. */
export function checkWeights(weights: readonly number[], n: number, name = "weights"): void {
  if (weights.length !== n) throw new MathInputError(name, `must have ${n} entries, got ${weights.length}`);
  let sum = 0;
  weights.forEach((w, j) => {
    if (!Number.isFinite(w) || w < 0)
      throw new MathInputError(`${name}[${j}]`, `must be a finite number >= 0, got ${w}`);
    sum += w;
  });
  if (sum <= 0) throw new MathInputError(name, "must have a positive sum");
}

/** Fills dPlus, dMinus and closeness (D⁻/(D⁺+D⁻), 0.5 when both are 0) for the given weights. */
export function topsisInto(
  k: TopsisKernel,
  weights: ArrayLike<number>,
  dPlus: Float64Array,
  dMinus: Float64Array,
  closeness: Float64Array,
  squares: Float64Array = new Float64Array(k.cols),
): void {
  const n = k.cols;
  // w_j² once per call, not once per row: the same products, so the same sums.
  for (let j = 0; j < n; j++) {
    const w = at(weights, j);
    squares[j] = w * w;
  }
  // The hot loop indexes the typed arrays directly: at() is shared by every caller, so its element access is
  // megamorphic and stays slow even when inlined here.
  const { gapPlus, gapMinus } = k;
  for (let i = 0; i < k.rows; i++) {
    let sp = 0;
    let sm = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const w2 = squares[j]!;
      sp += w2 * gapPlus[row + j]!;
      sm += w2 * gapMinus[row + j]!;
    }
    const dp = Math.sqrt(sp);
    const dm = Math.sqrt(sm);
    dPlus[i] = dp;
    dMinus[i] = dm;
    closeness[i] = dp + dm === 0 ? 0.5 : dm / (dp + dm);
  }
}
