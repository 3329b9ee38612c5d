// 基尼系数 Gini coefficient from the Lorenz curve of sorted per-capita values.
import { MathInputError } from "./errors.ts";
import type { DisparityResult } from "./disparity.ts";
import { at, finiteArray, nonNegative, weightsOrOnes } from "./validate.ts";

/**
 * Gini = 1 − Σ_i p_i (S_{i−1} + S_i), units sorted by value ascending, p_i = w_i/Σw the
 * population share and S_i the cumulative income share (income = value × weight).
 * Unweighted this equals Σ_i Σ_j |x_i − x_j| / (2 n² μ), so it lies in [0, 1 − 1/n].
 * Values must be ≥ 0 with a positive total; weights, when given, must be > 0.
 */
export function gini(values: readonly number[], weights?: readonly number[]): DisparityResult {
  finiteArray(values, "values");
  values.forEach((x, i) => nonNegative(x, `values[${i}]`));
  const w = weightsOrOnes(weights, values.length, "weights");
  const order = values.map((_, i) => i).sort((a, b) => at(values, a) - at(values, b));
  let totalW = 0;
  let totalY = 0;
  values.forEach((x, i) => {
    totalW += at(w, i);
    totalY += at(w, i) * x;
  });
  if (totalY === 0) throw new MathInputError("values", "must have a positive total for a Gini coefficient");
  const weighted = weights !== undefined;
  // Equal values have no inequality; the Lorenz sum would leave rounding noise of ~1e-16.
  if (values.every((x) => x === values[0])) return { value: 0, weighted };
  let cum = 0;
  let area = 0;
  for (const i of order) {
    const prev = cum;
    cum += (at(w, i) * at(values, i)) / totalY;
    area += (at(w, i) / totalW) * (prev + cum);
  }
  // Near-equal values can land a rounding error below zero.
  return { value: Math.max(0, 1 - area), weighted };
}
