// Outlier treatment 缩尾处理: values beyond the lower and upper type-7 quantiles are pulled in to them.
import { MathInputError } from "./errors.ts";
import { quantileSorted } from "./quantile.ts";
import { finiteArray } from "./validate.ts";

export interface WinsorizeResult {
  readonly values: readonly number[];
  readonly lower: number;
  readonly upper: number;
  /** Indices of the values that were changed. */
  readonly changed: readonly number[];
}

/**
 * Winsorises `values` at the `lowerQ` and `upperQ` quantiles (Hyndman-Fan type 7, NumPy's default): a value
 * below the lower quantile becomes it, one above the upper quantile becomes that. The order is kept.
 */
export function winsorize(values: readonly number[], lowerQ = 0.05, upperQ = 0.95): WinsorizeResult {
  finiteArray(values, "values");
  if (!(lowerQ >= 0 && upperQ <= 1 && lowerQ <= upperQ))
    throw new MathInputError("quantiles", `need 0 <= lower <= upper <= 1, got ${lowerQ} and ${upperQ}`);
  const sorted = Float64Array.from(values).sort();
  const lower = quantileSorted(sorted, lowerQ);
  const upper = quantileSorted(sorted, upperQ);
  const changed: number[] = [];
  const out = values.map((v, i) => {
    const w = Math.min(upper, Math.max(lower, v));
    if (w !== v) changed.push(i);
    return w;
  });
  return { values: out, lower, upper, changed };
}

/** Winsorises each column of a matrix (rows = regions) on its own. */
export function winsorizeColumns(
  matrix: readonly (readonly number[])[],
  lowerQ = 0.05,
  upperQ = 0.95,
): { readonly matrix: number[][]; readonly changed: number } {
  if (matrix.length === 0) return { matrix: [], changed: 0 };
  const n = matrix[0]!.length;
  const cols = Array.from({ length: n }, (_, j) =>
    winsorize(
      matrix.map((r) => r[j]!),
      lowerQ,
      upperQ,
    ),
  );
  return {
    matrix: matrix.map((_, i) => cols.map((c) => c.values[i]!)),
    changed: cols.reduce((s, c) => s + c.changed.length, 0),
  };
}
