// Interval (band) targets 区间指标: within [lower, upper] fully realised, outside it piecewise by the ratio method.
import { MathInputError } from "./errors.ts";
import { finite } from "./validate.ts";

export interface Band {
  readonly lower: number;
  readonly upper: number;
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * Realisation of a value against a band (NBS xiaokang convention for interval indicators): 1 inside
 * [lower, upper]; below it x / lower (as a positive indicator against its floor); above it upper / x (as a
 * negative indicator against its ceiling); clamped to [0, 1]. A floor <= 0 scores 0 below it.
 */
export function bandDegree(value: number, band: Band): number {
  const x = finite(value, "value");
  const lower = finite(band.lower, "band.lower");
  const upper = finite(band.upper, "band.upper");
  if (lower > upper) throw new MathInputError("band", `lower (${lower}) must not exceed upper (${upper})`);
  if (x >= lower && x <= upper) return 1;
  if (x < lower) return lower > 0 ? clamp01(x / lower) : 0;
  return x > 0 ? clamp01(upper / x) : 0;
}
