// Linear interpolation between two observations in time 线性插补: the imputation a run may choose over carry-forward.
import { MathInputError } from "./errors.ts";
import { finite } from "./validate.ts";

export interface TimedValue {
  /** Position in time, e.g. a fractional year. */
  readonly t: number;
  readonly value: number;
}

/** The value at `t` on the straight line through `before` and `after` (before.t <= t <= after.t, before.t < after.t). */
export function interpolateLinear(before: TimedValue, after: TimedValue, t: number): number {
  const t0 = finite(before.t, "before.t");
  const t1 = finite(after.t, "after.t");
  finite(t, "t");
  if (!(t0 < t1)) throw new MathInputError("after.t", `must be after before.t (${t0}), got ${t1}`);
  if (t < t0 || t > t1) throw new MathInputError("t", `must lie in [${t0}, ${t1}], got ${t}`);
  const v0 = finite(before.value, "before.value");
  const v1 = finite(after.value, "after.value");
  return v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
}
