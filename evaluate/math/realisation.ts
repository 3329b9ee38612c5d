// 实现度 realisation degree of one indicator against its 2025 target (NBS xiaokang convention).
import { MathInputError } from "./errors.ts";
import { finite, nonNegative } from "./validate.ts";

export const TARGET_OPS = [">=", ">", "<=", "<"] as const;
export const TREND_OPS = ["trend_up", "trend_down"] as const;
export type TargetOp = (typeof TARGET_OPS)[number];
export type TrendOp = (typeof TREND_OPS)[number];
export type IndicatorOp = TargetOp | TrendOp;
export type RealisationMethod = "ratio" | "progress";

export const DEFAULT_TREND_TOLERANCE = 0.005;
export const DEFAULT_TREND_SCORES = { improved: 1, unchanged: 0.5, worsened: 0 } as const;

export interface TrendScores {
  readonly improved: number;
  readonly unchanged: number;
  readonly worsened: number;
}

export interface RealisationInput {
  readonly value: number | null;
  readonly op: IndicatorOp;
  readonly target?: number;
  readonly method?: RealisationMethod;
  readonly baseline?: number;
  readonly previous?: number;
  readonly tolerance?: number;
  readonly trendScores?: TrendScores;
}

export type RealisationNullReason = "no_value" | "no_target" | "no_previous";

export type Realisation =
  | {
      readonly score: number;
      readonly methodUsed: RealisationMethod | "trend" | "band";
      readonly fellBackToRatio: boolean;
    }
  | { readonly score: null; readonly reason: RealisationNullReason };

export function isPositiveOp(op: TargetOp): boolean {
  return op === ">=" || op === ">";
}

export function isTargetOp(op: IndicatorOp): op is TargetOp {
  return (TARGET_OPS as readonly string[]).includes(op);
}

/** Strict and non-strict ops share one boundary: equality meets the target. */
export function meets(x: number, target: number, op: TargetOp): boolean {
  return isPositiveOp(op) ? x >= target : x <= target;
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/** Ratio method: positive min(x/t, 1), negative min(t/x, 1); a non-positive anchor scores met/not met. */
export function ratioDegree(x: number, target: number, op: TargetOp): number {
  if (target <= 0) return meets(x, target, op) ? 1 : 0;
  if (isPositiveOp(op)) return clamp01(x / target);
  // A negative indicator at or below zero is at least as good as any positive target.
  return x <= 0 ? 1 : clamp01(target / x);
}

/** Progress method: share of the baseline-to-target distance covered, clamped to [0, 1]. */
export function progressDegree(x: number, target: number, baseline: number, op: TargetOp): number {
  // A baseline already at or beyond the target leaves no distance to cover: score met/not met.
  if (meets(baseline, target, op)) return meets(x, target, op) ? 1 : 0;
  return clamp01((x - baseline) / (target - baseline));
}

function trendDegree(x: number, previous: number, op: TrendOp, tolerance: number, scores: TrendScores): number {
  if (Math.abs(x - previous) <= tolerance * Math.abs(previous)) return scores.unchanged;
  const rose = x > previous;
  return rose === (op === "trend_up") ? scores.improved : scores.worsened;
}

function checkTrendScores(s: TrendScores): TrendScores {
  for (const key of ["improved", "unchanged", "worsened"] as const) {
    const v = finite(s[key], `trendScores.${key}`);
    if (v < 0 || v > 1) throw new MathInputError(`trendScores.${key}`, `must be in [0, 1], got ${v}`);
  }
  return s;
}

/**
 * Realisation degree 实现度 in [0, 1] for one indicator value.
 * Targeted ops use the ratio method (default) or the progress method (falls back to ratio
 * without a baseline); trend ops score the direction of change against `previous`.
 * Returns `score: null` with a reason when the value, target or previous value is missing;
 * throws MathInputError on non-finite inputs or an unknown op.
 */
export function realisationDegree(input: RealisationInput): Realisation {
  const { value, op, target, baseline, previous } = input;
  if (value !== null) finite(value, "value");
  if (target !== undefined) finite(target, "target");
  if (baseline !== undefined) finite(baseline, "baseline");
  if (previous !== undefined) finite(previous, "previous");
  const tolerance = nonNegative(input.tolerance ?? DEFAULT_TREND_TOLERANCE, "tolerance");
  const scores = checkTrendScores(input.trendScores ?? DEFAULT_TREND_SCORES);

  if (op === "trend_up" || op === "trend_down") {
    if (value === null) return { score: null, reason: "no_value" };
    if (previous === undefined) return { score: null, reason: "no_previous" };
    return { score: trendDegree(value, previous, op, tolerance, scores), methodUsed: "trend", fellBackToRatio: false };
  }
  if (!isTargetOp(op))
    throw new MathInputError("op", `must be one of ${[...TARGET_OPS, ...TREND_OPS].join(", ")}, got ${String(op)}`);
  if (value === null) return { score: null, reason: "no_value" };
  if (target === undefined) return { score: null, reason: "no_target" };
  if (input.method === "progress" && baseline !== undefined) {
    return { score: progressDegree(value, target, baseline, op), methodUsed: "progress", fellBackToRatio: false };
  }
  return { score: ratioDegree(value, target, op), methodUsed: "ratio", fellBackToRatio: input.method === "progress" };
}
