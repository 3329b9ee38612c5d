// Simple regional disparity measures: max/min ratio and coefficient of variation.
import { MathInputError } from "./errors.ts";
import { at, finiteArray, positive, weightsOrOnes } from "./validate.ts";

export interface DisparityResult {
  readonly value: number;
  /** True when population (or other) weights were applied. */
  readonly weighted: boolean;
}

/** Max/min ratio 极值比 of strictly positive values; throws MathInputError naming a value ≤ 0. */
export function maxMinRatio(values: readonly number[]): number {
  finiteArray(values, "values");
  values.forEach((x, i) => positive(x, `values[${i}]`));
  return Math.max(...values) / Math.min(...values);
}

/**
 * Coefficient of variation 变异系数 σ/μ with the population (÷Σw, not ÷(n−1)) standard
 * deviation, so equal weights reproduce the unweighted value. Weights, when given, must be
 * > 0 (e.g. resident population). The (weighted) mean must be > 0.
 */
export function coefficientOfVariation(values: readonly number[], weights?: readonly number[]): DisparityResult {
  finiteArray(values, "values");
  const w = weightsOrOnes(weights, values.length, "weights");
  let sw = 0;
  let swx = 0;
  values.forEach((x, i) => {
    sw += at(w, i);
    swx += at(w, i) * x;
  });
  const mean = swx / sw;
  if (!(mean > 0))
    throw new MathInputError("values", `must have a positive mean for a coefficient of variation, got ${mean}`);
  let ss = 0;
  values.forEach((x, i) => {
    ss += at(w, i) * (x - mean) ** 2;
  });
  return { value: Math.sqrt(ss / sw) / mean, weighted: weights !== undefined };
}
