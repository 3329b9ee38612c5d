// Column normalisations shared by the entropy weight method and TOPSIS.
import { MathInputError } from "./errors.ts";
import { at, finiteArray } from "./validate.ts";

/** "higher": a benefit indicator (正向); "lower": a cost indicator (逆向). */
export type Direction = "higher" | "lower";

export function checkDirections(directions: readonly Direction[], n: number, name = "directions"): void {
  if (directions.length !== n) throw new MathInputError(name, `must have ${n} entries, got ${directions.length}`);
  directions.forEach((d, j) => {
    if (d !== "higher" && d !== "lower")
      throw new MathInputError(`${name}[${j}]`, `must be "higher" or "lower", got ${String(d)}`);
  });
}

/**
 * Min-max normalisation 极差标准化 to [0, 1]: benefit (x − min)/(max − min),
 * cost (max − x)/(max − min). A constant column carries no information and maps to all zeros.
 */
export function minMaxNormalize(column: readonly number[], direction: Direction): number[] {
  finiteArray(column, "column");
  checkDirections([direction], 1, "direction");
  let min = Infinity;
  let max = -Infinity;
  for (const x of column) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const range = max - min;
  if (range === 0) return column.map(() => 0);
  return direction === "higher" ? column.map((x) => (x - min) / range) : column.map((x) => (max - x) / range);
}

/**
 * Vector normalisation x / sqrt(Σ x²) used by classic TOPSIS; the direction is applied
 * later when choosing the ideal point. An all-zero column maps to all zeros.
 */
export function vectorNormalize(column: readonly number[]): number[] {
  finiteArray(column, "column");
  const norm = Math.sqrt(column.reduce((s, x) => s + x * x, 0));
  return norm === 0 ? column.map(() => 0) : column.map((x) => x / norm);
}

/** Column j of a rectangular matrix. */
export function column(matrix: readonly (readonly number[])[], j: number): number[] {
  return matrix.map((row) => at(row, j));
}
