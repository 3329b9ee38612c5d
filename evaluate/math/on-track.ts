// Whether a value sits on or beyond the straight 2020→2025 path to its target.
import { MathInputError } from "./errors.ts";
import { isPositiveOp, isTargetOp, meets } from "./realisation.ts";
import type { IndicatorOp } from "./realisation.ts";
import { finite } from "./validate.ts";

export interface OnTrackInput {
  readonly value: number;
  readonly year: number;
  readonly baseline: number;
  readonly target: number;
  readonly op: IndicatorOp;
  readonly baselineYear?: number;
  readonly targetYear?: number;
}

export interface OnTrackResult {
  /** True when the value is at or beyond the path value for its year, in the op's direction. */
  readonly onTrack: boolean;
  /** The straight-line path value for `year` (years outside the window are clamped to it). */
  readonly expected: number;
  /** value − expected, signed so that ≥ 0 always means on track. */
  readonly margin: number;
}

/**
 * Compares a value with the linear path baseline (baselineYear, default 2020) → target
 * (targetYear, default 2025). Only targeted ops (>=, >, <=, <) have a path; trend ops throw.
 */
export function onTrack(input: OnTrackInput): OnTrackResult {
  const { op } = input;
  if (!isTargetOp(op)) throw new MathInputError("op", `must be a targeted op (>=, >, <=, <), got ${op}`);
  const value = finite(input.value, "value");
  const year = finite(input.year, "year");
  const baseline = finite(input.baseline, "baseline");
  const target = finite(input.target, "target");
  const baselineYear = finite(input.baselineYear ?? 2020, "baselineYear");
  const targetYear = finite(input.targetYear ?? 2025, "targetYear");
  if (targetYear <= baselineYear) {
    throw new MathInputError("targetYear", `must be after baselineYear (${baselineYear}), got ${targetYear}`);
  }
  const t = Math.min(1, Math.max(0, (year - baselineYear) / (targetYear - baselineYear)));
  const expected = baseline + (target - baseline) * t;
  const margin = isPositiveOp(op) ? value - expected : expected - value;
  return { onTrack: meets(value, expected, op), expected, margin };
}
