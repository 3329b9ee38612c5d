// Sample quantiles with linear interpolation (Hyndman & Fan type 7, R and NumPy default).
import { MathInputError } from "./errors.ts";
import { at } from "./validate.ts";

/** Type-7 quantile of an ascending-sorted, non-empty array; q in [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new MathInputError("sorted", "must not be empty");
  if (!(q >= 0 && q <= 1)) throw new MathInputError("q", `must be in [0, 1], got ${q}`);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return at(sorted, lo) + (h - lo) * (at(sorted, hi) - at(sorted, lo));
}
