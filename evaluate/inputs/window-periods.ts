// The periods a run can need: anything young enough to be carried forward, one step before it, and 2020.
import { periodEnd, periodsBetween } from "../../schemas/index.ts";
import type { EvalConfig } from "../eval-config.ts";

const SPAN = { annual: 12, quarterly: 3, monthly: 1 } as const;

function monthIndex(isoDate: string): number {
  return Number(isoDate.slice(0, 4)) * 12 + Number(isoDate.slice(5, 7)) - 1;
}

function periodsOf(frequency: keyof typeof SPAN, fromMonth: number, toMonth: number): string[] {
  const y0 = Math.floor(fromMonth / 12);
  const y1 = Math.floor(toMonth / 12);
  const [from, to] =
    frequency === "annual"
      ? [`${y0}`, `${y1}`]
      : frequency === "quarterly"
        ? [`${y0}Q1`, `${y1}Q4`]
        : [`${y0}-01`, `${y1}-12`];
  return periodsBetween(from, to).filter((p) => {
    const end = monthIndex(periodEnd(p));
    return end >= fromMonth && end <= toMonth;
  });
}

/**
 * Every period whose end lies within the longest window (plus one period, for the previous value of a trend
 * indicator) before the end of `period`, and the 2020 baseline year.
 */
export function windowPeriods(period: string, staleness: EvalConfig["staleness"], forward = false): string[] {
  const end = monthIndex(periodEnd(period));
  const out = new Set<string>(["2020"]);
  for (const f of ["annual", "quarterly", "monthly"] as const) {
    // Linear imputation also needs the first observation after the period, within the same window.
    for (const p of periodsOf(f, end - staleness[f] - SPAN[f], forward ? end + staleness[f] : end)) out.add(p);
  }
  return [...out].sort();
}
