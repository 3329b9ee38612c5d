// Carry-forward: use the latest observation that is not too old for the target period.
import { MathInputError } from "./errors.ts";
import { isoDate, periodEnd } from "./period-end.ts";
import type { Frequency } from "./period-end.ts";
import { finite } from "./validate.ts";

/** Default maximum age in months by the observation's own frequency. */
export const DEFAULT_MAX_AGE_MONTHS = { annual: 24, quarterly: 6, monthly: 2 } as const satisfies Record<Frequency, number>;

/** Maximum age per observation frequency; frequencies not named keep their default. */
export type MaxAgeByFrequency = Readonly<Partial<Record<Frequency, number>>>;

function maxAgeWindows(maxAgeMonths: number | MaxAgeByFrequency | undefined): Record<Frequency, number> {
  const given = typeof maxAgeMonths === "number" ? { annual: maxAgeMonths, quarterly: maxAgeMonths, monthly: maxAgeMonths } : maxAgeMonths;
  const name = (f: Frequency) => (typeof maxAgeMonths === "number" ? "maxAgeMonths" : `maxAgeMonths.${f}`);
  const window = (f: Frequency): number => {
    const m = given?.[f] ?? DEFAULT_MAX_AGE_MONTHS[f];
    if (finite(m, name(f)) < 0) throw new MathInputError(name(f), `must be >= 0, got ${m}`);
    return m;
  };
  return { annual: window("annual"), quarterly: window("quarterly"), monthly: window("monthly") };
}

export interface Observation {
  readonly period: string;
  readonly value: number;
}

export type Picked =
  | {
      readonly value: number;
      readonly period: string;
      /** True when the observation's period ended before the target period's end month. */
      readonly carriedForward: boolean;
      /** Whole calendar months from the observation's end month to the target's end month. */
      readonly ageMonths: number;
    }
  | { readonly value: null; readonly reason: "no_observations" | "none_before_target" | "too_stale" };

// On equal end dates the coarser period covers the whole target span, so it wins.
const COARSENESS: Record<Frequency, number> = { annual: 3, quarterly: 2, monthly: 1 };

/**
 * Picks the observation with the latest period end on or before `targetPeriodEnd`
 * (YYYY-MM-DD) whose age is at most `maxAgeMonths`: one number for every observation, or a
 * window per frequency (a frequency not named keeps its default: annual 24, quarterly 6,
 * monthly 2). Periods are canonical `2025`, `2025Q3`, `2025-09`.
 * Returns `value: null` with a reason when nothing qualifies; throws MathInputError on
 * malformed periods or dates, non-finite values, duplicate periods or a negative max age.
 */
export function pickWithStaleness(
  observations: readonly Observation[],
  targetPeriodEnd: string,
  maxAgeMonths?: number | MaxAgeByFrequency,
): Picked {
  const target = isoDate(targetPeriodEnd, "targetPeriodEnd");
  const windows = maxAgeWindows(maxAgeMonths);
  const seen = new Set<string>();
  const parsed = observations.map((o, i) => {
    if (seen.has(o.period)) throw new MathInputError(`observations[${i}].period`, `must be unique, got ${o.period} twice`);
    seen.add(o.period);
    finite(o.value, `observations[${i}].value`);
    return { ...o, end: periodEnd(o.period, `observations[${i}].period`) };
  });
  if (parsed.length === 0) return { value: null, reason: "no_observations" };
  const ended = parsed.filter((o) => o.end.endDate <= target.date);
  if (ended.length === 0) return { value: null, reason: "none_before_target" };
  const fresh = ended
    .map((o) => ({ ...o, age: target.monthIndex - o.end.monthIndex }))
    .filter((o) => o.age <= windows[o.end.frequency]);
  const best = fresh.reduce<(typeof fresh)[number] | undefined>((acc, o) => {
    if (acc === undefined || o.end.endDate > acc.end.endDate) return o;
    if (o.end.endDate === acc.end.endDate && COARSENESS[o.end.frequency] > COARSENESS[acc.end.frequency]) return o;
    return acc;
  }, undefined);
  if (best === undefined) return { value: null, reason: "too_stale" };
  return { value: best.value, period: best.period, carriedForward: best.age > 0, ageMonths: best.age };
}
