// Parses the period spellings found in bulletins and spreadsheets into canonical 2025 | 2025Q3 | 2025-09.
import { memoize } from "./memo.ts";
import { formatPeriod, PERIODS_PER_YEAR } from "./period-parts.ts";
import type { PeriodFrequency } from "./period-parts.ts";

export { formatPeriod, Period, PeriodFrequency, periodParts, PERIODS_PER_YEAR } from "./period-parts.ts";
export type { PeriodParts } from "./period-parts.ts";
export {
  comparePeriods,
  nextPeriod,
  periodEnd,
  periodFrequency,
  periodsBetween,
  periodStart,
  periodYear,
  previousPeriod,
} from "./period-calendar.ts";

export type PeriodParseResult =
  | { readonly ok: true; readonly period: string; readonly frequency: PeriodFrequency }
  | { readonly ok: false; readonly reason: string };

const DIGITS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 3, 03, 三, 十二 -> a number; null when it is not a small numeral. */
function numeral(text: string): number | null {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const [tens, units] = text.split("十");
  if (units === undefined) return tens !== undefined && text.length === 1 ? (DIGITS[tens] ?? null) : null;
  const t = tens === "" ? 1 : tens === undefined ? null : (DIGITS[tens] ?? null);
  const u = units === "" ? 0 : (DIGITS[units] ?? null);
  return t === null || u === null ? null : t * 10 + u;
}

const Y = "([1-9]\\d{3})";
const N = "(\\d{1,2}|[一二三四五六七八九十]{1,3})";
// Each pattern captures the year and, except for years, the quarter or month numeral.
const PATTERNS: readonly (readonly [PeriodFrequency, RegExp])[] = [
  ["annual", new RegExp(`^${Y}(?:年度?)?$`)],
  ["quarterly", new RegExp(`^${Y}(?:[-/.]|年)?Q${N}$`)],
  ["quarterly", new RegExp(`^${Y}年第?${N}季度?$`)],
  ["monthly", new RegExp(`^${Y}年${N}月份?$`)],
  ["monthly", new RegExp(`^${Y}[-/.](\\d{1,2})$`)],
  ["monthly", new RegExp(`^${Y}(\\d{2})$`)],
];

/** Accepts 2025, 2025年度, 2025Q3, 2025年第三季度, 2025年9月, 2025.09, 2025/9, 202509 and full-width forms. */
export const parsePeriod: (input: string) => PeriodParseResult = memoize(parsePeriodText);

function parsePeriodText(input: string): PeriodParseResult {
  const text = input.normalize("NFKC").replace(/\s+/gu, "").toUpperCase();
  if (text === "") return { ok: false, reason: "empty period" };
  for (const [frequency, pattern] of PATTERNS) {
    const match = pattern.exec(text);
    if (match === null) continue;
    const year = Number(match[1]);
    if (frequency === "annual") return { ok: true, period: formatPeriod({ year, frequency, index: 1 }), frequency };
    const index = numeral(match[2] ?? "");
    const limit = PERIODS_PER_YEAR[frequency];
    const what = frequency === "quarterly" ? "quarter" : "month";
    if (index === null || index < 1 || index > limit) {
      return { ok: false, reason: `${what} ${match[2] ?? ""} is out of range 1-${limit} in ${JSON.stringify(input)}` };
    }
    return { ok: true, period: formatPeriod({ year, frequency, index }), frequency };
  }
  return { ok: false, reason: `unrecognised period ${JSON.stringify(input)}; expected e.g. 2025, 2025Q3 or 2025-09` };
}
