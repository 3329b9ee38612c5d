// The calendar side of catch-up: which months should have been evaluated by now, and when each one was due.
import { nextPeriod, periodParts } from "../../schemas/index.ts";
import type { CronCalendar } from "./next-fire.ts";
import { instantOf, wallTime } from "./zoned-time.ts";

export interface MonthDue {
  /** The month evaluated, 2025-09. */
  readonly period: string;
  /** The first firing after the month ended: the run's as-of, so a late run sees what an on-time run would have. */
  readonly dueAt: Date;
}

/** The first local instant of the month after `period`. */
export function monthEnd(period: string, timeZone: string): Date {
  const p = periodParts(nextPeriod(period));
  return instantOf({ year: p.year, month: p.index, day: 1, hour: 0, minute: 0, second: 0 }, timeZone);
}

/** Months from `since` whose run was due at or before `now`, oldest first. */
export function monthsDue(since: string, now: Date, calendar: CronCalendar, timeZone: string): MonthDue[] {
  const out: MonthDue[] = [];
  for (let period = since; ; period = nextPeriod(period)) {
    const dueAt = calendar.nextFireAfter(new Date(monthEnd(period, timeZone).getTime() - 1));
    if (dueAt.getTime() > now.getTime()) return out;
    out.push({ period, dueAt });
  }
}

/** The month a firing at `at` evaluates: the one before the local month of `at`. */
export function monthBefore(at: Date, timeZone: string): string {
  const w = wallTime(at, timeZone);
  const year = w.month === 1 ? w.year - 1 : w.year;
  const month = w.month === 1 ? 12 : w.month - 1;
  return `${year}-${String(month).padStart(2, "0")}`;
}
