// Shared input guards: every guard throws MathInputError naming the offending value.
import { MathInputError } from "./errors.ts";

export function finite(x: number, name: string): number {
  if (!Number.isFinite(x)) throw new MathInputError(name, `must be a finite number, got ${String(x)}`);
  return x;
}

export function nonNegative(x: number, name: string): number {
  if (finite(x, name) < 0) throw new MathInputError(name, `must be >= 0, got ${x}`);
  return x;
}

export function positive(x: number, name: string): number {
  if (finite(x, name) <= 0) throw new MathInputError(name, `must be > 0, got ${x}`);
  return x;
}

export function finiteArray(xs: readonly number[], name: string): readonly number[] {
  if (xs.length === 0) throw new MathInputError(name, "must not be empty");
  xs.forEach((x, i) => finite(x, `${name}[${i}]`));
  return xs;
}

export function sameLength(a: readonly unknown[], b: readonly unknown[], nameA: string, nameB: string): void {
  if (a.length !== b.length) {
    throw new MathInputError(nameB, `must have the same length as ${nameA} (${a.length}), got ${b.length}`);
  }
}

/** Optional per-unit weights: same length as the values, each finite and > 0. */
export function weightsOrOnes(weights: readonly number[] | undefined, n: number, name: string): readonly number[] {
  if (weights === undefined) return new Array<number>(n).fill(1);
  if (weights.length !== n) throw new MathInputError(name, `must have ${n} entries, got ${weights.length}`);
  weights.forEach((w, i) => positive(w, `${name}[${i}]`));
  return weights;
}

/** A non-empty rectangular matrix of finite numbers; returns [rows, cols]. */
export function matrixShape(matrix: readonly (readonly number[])[], name: string): [number, number] {
  const m = matrix.length;
  if (m === 0) throw new MathInputError(name, "must have at least one row");
  const n = matrix[0]?.length ?? 0;
  if (n === 0) throw new MathInputError(`${name}[0]`, "must have at least one column");
  matrix.forEach((row, i) => {
    if (row.length !== n) throw new MathInputError(`${name}[${i}]`, `must have ${n} columns, got ${row.length}`);
    row.forEach((x, j) => finite(x, `${name}[${i}][${j}]`));
  });
  return [m, n];
}

/** Reads an index that the caller has already bounds-checked (keeps noUncheckedIndexedAccess honest). */
export function at<T>(xs: ArrayLike<T>, i: number): T {
  return xs[i] as T;
}
