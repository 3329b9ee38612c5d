// Carry-forward: use the latest observation that is not too old for the target period.
import { MathInputError } from "./errors.ts";
import { isoDate, periodEnd } from "./period-end.ts";
import type { Frequency, PeriodEnd } from "./period-end.ts";
import { finite } from "./validate.ts";

/** Default maximum age in months by the observation's own frequency. */
export const DEFAULT_MAX_AGE_MONTHS = { annual: 24, quarterly: 6, monthly: 2 } as const satisfies Record<
  Frequency,
  number
>;

/** Maximum age per observation frequency; frequencies not named keep their default. */
export type MaxAgeByFrequency = Readonly<Partial<Record<Frequency, number>>>;

function maxAgeWindows(maxAgeMonths: number | MaxAgeByFrequency | undefined): Record<Frequency, number> {
  const one = typeof maxAgeMonths === "number";
  // Called once per region and indicator: plain reads, and an error's name is only built when there is an error.
  const window = (f: Frequency, m: number): number => {
    const name = (): string => (one ? "maxAgeMonths" : `maxAgeMonths.${f}`);
    if (!Number.isFinite(m)) finite(m, name());
    if (m < 0) throw new MathInputError(name(), `must be >= 0, got ${m}`);
    return m;
  };
  const given = one ? undefined : maxAgeMonths;
  return {
    annual: window("annual", one ? maxAgeMonths : (given?.annual ?? DEFAULT_MAX_AGE_MONTHS.annual)),
    quarterly: window("quarterly", one ? maxAgeMonths : (given?.quarterly ?? DEFAULT_MAX_AGE_MONTHS.quarterly)),
    monthly: window("monthly", one ? maxAgeMonths : (given?.monthly ?? DEFAULT_MAX_AGE_MONTHS.monthly)),
  };
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
  // Every observation is checked before any is picked, in order, so the first bad one is the one reported.
  const ends: PeriodEnd[] = new Array(observations.length);
  const seen = new Set<string>();
  for (let i = 0; i < observations.length; i++) {
    const o = observations[i]!;
    if (seen.has(o.period))
      throw new MathInputError(`observations[${i}].period`, `must be unique, got ${o.period} twice`);
    seen.add(o.period);
    if (!Number.isFinite(o.value)) finite(o.value, `observations[${i}].value`);
    ends[i] = periodEnd(o.period, `observations[${i}].period`);
  }
  if (observations.length === 0) return { value: null, reason: "no_observations" };
  let anyEnded = false;
  let best = -1;
  let bestAge = 0;
  for (let i = 0; i < observations.length; i++) {
    const end = ends[i]!;
    if (end.endDate > target.date) continue;
    anyEnded = true;
    const age = target.monthIndex - end.monthIndex;
    if (age > windows[end.frequency]) continue;
    const acc = best < 0 ? undefined : ends[best]!;
    if (
      acc === undefined ||
      end.endDate > acc.endDate ||
      (end.endDate === acc.endDate && COARSENESS[end.frequency] > COARSENESS[acc.frequency])
    ) {
      best = i;
      bestAge = age;
    }
  }
  if (!anyEnded) return { value: null, reason: "none_before_target" };
  if (best < 0) return { value: null, reason: "too_stale" };
  const o = observations[best]!;
  return { value: o.value, period: o.period, carriedForward: bestAge > 0, ageMonths: bestAge };
}
