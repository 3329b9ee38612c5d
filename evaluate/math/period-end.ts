// Private period-end arithmetic for carry-forward; not exported from the package index.
import { MathInputError } from "./errors.ts";

export type Frequency = "annual" | "quarterly" | "monthly";

export interface PeriodEnd {
  readonly frequency: Frequency;
  /** year·12 + (month − 1) of the period's last month. */
  readonly monthIndex: number;
  /** Last calendar day as YYYY-MM-DD (sorts lexically). */
  readonly endDate: string;
}

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const pad = (x: number, width: number): string => String(x).padStart(width, "0");

function end(frequency: Frequency, year: number, month: number): PeriodEnd {
  return {
    frequency,
    monthIndex: year * 12 + month - 1,
    endDate: `${pad(year, 4)}-${pad(month, 2)}-${pad(daysInMonth(year, month), 2)}`,
  };
}

// A run parses the same few hundred period strings tens of thousands of times; parsing is pure, so remember it.
const parsed = new Map<string, PeriodEnd>();

/** Parses canonical `2025`, `2025Q3` or `2025-09` into its end; throws MathInputError otherwise. */
export function periodEnd(period: string, name = "period"): PeriodEnd {
  const hit = parsed.get(period);
  if (hit !== undefined) return hit;
  const result = parsePeriodEnd(period, name);
  if (parsed.size < 10_000) parsed.set(period, result);
  return result;
}

function parsePeriodEnd(period: string, name: string): PeriodEnd {
  const a = /^(\d{4})$/.exec(period);
  if (a) return end("annual", Number(a[1]), 12);
  const q = /^(\d{4})Q([1-4])$/.exec(period);
  if (q) return end("quarterly", Number(q[1]), Number(q[2]) * 3);
  const mo = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (mo) return end("monthly", Number(mo[1]), Number(mo[2]));
  throw new MathInputError(name, `must be a canonical period (2025, 2025Q3 or 2025-09), got ${JSON.stringify(period)}`);
}

const dates = new Map<string, { readonly monthIndex: number; readonly date: string }>();

/** Parses a calendar date YYYY-MM-DD; returns its month index and the date string. */
export function isoDate(date: string, name: string): { readonly monthIndex: number; readonly date: string } {
  const hit = dates.get(date);
  if (hit !== undefined) return hit;
  const result = parseIsoDate(date, name);
  if (dates.size < 10_000) dates.set(date, result);
  return result;
}

function parseIsoDate(date: string, name: string): { readonly monthIndex: number; readonly date: string } {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const year = Number(d?.[1]);
  const month = Number(d?.[2]);
  const day = Number(d?.[3]);
  if (!d || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new MathInputError(name, `must be an ISO calendar date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  }
  return { monthIndex: year * 12 + month - 1, date };
}
