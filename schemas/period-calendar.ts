// Calendar arithmetic on canonical periods: bounds, order and stepping.
import { formatPeriod, periodParts, PERIODS_PER_YEAR } from "./period-parts.ts";
import type { PeriodFrequency, PeriodParts } from "./period-parts.ts";

const MONTHS_PER = { annual: 12, quarterly: 3, monthly: 1 } as const;
const FREQUENCY_ORDER = { annual: 0, quarterly: 1, monthly: 2 } as const;

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function firstMonth(p: PeriodParts): number {
  return (p.index - 1) * MONTHS_PER[p.frequency] + 1;
}

export function periodFrequency(period: string): PeriodFrequency {
  return periodParts(period).frequency;
}

export function periodYear(period: string): number {
  return periodParts(period).year;
}

/** First day of the period as an ISO date (2025Q3 -> 2025-07-01). */
export function periodStart(period: string): string {
  const p = periodParts(period);
  return isoDate(p.year, firstMonth(p), 1);
}

/** Last day of the period, inclusive, as an ISO date (2025Q3 -> 2025-09-30, 2024-02 -> 2024-02-29). */
export function periodEnd(period: string): string {
  const p = periodParts(period);
  const lastMonth = firstMonth(p) + MONTHS_PER[p.frequency] - 1;
  // Day 0 of the following month is the last day of this one, leap years included.
  const day = new Date(Date.UTC(p.year, lastMonth, 0)).getUTCDate();
  return isoDate(p.year, lastMonth, day);
}

/** Orders by start date, then the longer period first (2025 < 2025Q1 < 2025-01 < 2025-02). */
export function comparePeriods(a: string, b: string): number {
  const pa = periodParts(a);
  const pb = periodParts(b);
  const byStart = pa.year * 12 + firstMonth(pa) - (pb.year * 12 + firstMonth(pb));
  return Math.sign(byStart) || Math.sign(FREQUENCY_ORDER[pa.frequency] - FREQUENCY_ORDER[pb.frequency]);
}

/** Moves a period by `steps` of its own frequency. */
function shift(period: string, steps: number): string {
  const p = periodParts(period);
  const perYear = PERIODS_PER_YEAR[p.frequency];
  const ordinal = p.year * perYear + (p.index - 1) + steps;
  const year = Math.floor(ordinal / perYear);
  if (year < 1000 || year > 9999) throw new RangeError(`${period} shifted by ${steps} leaves the four-digit years`);
  return formatPeriod({ year, frequency: p.frequency, index: (ordinal % perYear) + 1 });
}

/** The period just before, at the same frequency (2025Q1 -> 2024Q4, 2025-01 -> 2024-12). */
export function previousPeriod(period: string): string {
  return shift(period, -1);
}

/** The period just after, at the same frequency. */
export function nextPeriod(period: string): string {
  return shift(period, 1);
}

/** Every period from `from` to `to`, both included; empty when `from` is later. Both must share a frequency. */
export function periodsBetween(from: string, to: string): string[] {
  const a = periodParts(from);
  const b = periodParts(to);
  if (a.frequency !== b.frequency) {
    throw new RangeError(`cannot list periods between ${from} (${a.frequency}) and ${to} (${b.frequency})`);
  }
  const perYear = PERIODS_PER_YEAR[a.frequency];
  const count = (b.year - a.year) * perYear + (b.index - a.index) + 1;
  return Array.from({ length: Math.max(count, 0) }, (_, i) => shift(from, i));
}
