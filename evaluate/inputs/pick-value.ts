// The value a run uses for any indicator and region: the staleness rule, computed once per pair.
import { interpolateLinear, pickWithStaleness } from "../math/index.ts";
import { periodEnd, periodParts } from "../../schemas/index.ts";
import type { EvalConfig } from "../eval-config.ts";
import { seriesOf, type Frequency, type ObsRow, type Snapshot } from "../model.ts";

export type PickResult =
  | { readonly row: ObsRow; readonly carriedForward: boolean; readonly ageMonths: number }
  | { readonly row: null; readonly reason: string };

export interface ValuePicker {
  /** The observation used, with whether it was carried forward, or why there is none. */
  pick(indicator: string, region: string): PickResult;
  /** Shorthand: the observation used, or null. */
  (indicator: string, region: string): ObsRow | null;
}

export interface ImputationOptions {
  readonly imputation: EvalConfig["imputation"];
  /** The evaluated period: the label of an interpolated value. */
  readonly period: string;
  /** Indicators a value may be interpolated for (not trend indicators, which compare with a previous period). */
  readonly interpolable: (indicator: string) => boolean;
}

const NO_CARRY = { annual: 0, quarterly: 0, monthly: 0 } as const;
const monthIndex = (isoDate: string): number => Number(isoDate.slice(0, 4)) * 12 + Number(isoDate.slice(5, 7)) - 1;

/** The earliest observation of `frequency` after the target's end, within the staleness window after it. */
function nextAfter(
  series: ReadonlyMap<string, ObsRow>,
  targetEnd: string,
  frequency: Frequency,
  window: number,
): ObsRow | null {
  let best: ObsRow | null = null;
  for (const row of series.values()) {
    const end = periodEnd(row.period);
    if (end <= targetEnd || periodParts(row.period).frequency !== frequency) continue;
    if (monthIndex(end) - monthIndex(targetEnd) > window) continue;
    if (best === null || end < periodEnd(best.period)) best = row;
  }
  return best;
}

/** The value on the straight line between the last observation before the period's end and the first after it. */
function interpolated(before: ObsRow, after: ObsRow, targetEnd: string, period: string): ObsRow {
  const t = (row: ObsRow) => monthIndex(periodEnd(row.period));
  const value = interpolateLinear(
    { t: t(before), value: before.value },
    { t: t(after), value: after.value },
    monthIndex(targetEnd),
  );
  return {
    indicator: before.indicator,
    region: before.region,
    period,
    value,
    vintage: [before.vintage, after.vintage].sort()[1]!,
    obsKey: null,
    derivedFrom: [before, after],
    rule: `linear interpolation 线性插补 between ${before.period} and ${after.period}`,
    imputed: "linear",
  };
}

export function createValuePicker(
  snapshot: Snapshot,
  targetEnd: string,
  configured: EvalConfig["staleness"],
  imputation?: ImputationOptions,
): ValuePicker {
  // Without imputation only the period's own observations count; carry-forward and linear use the windows.
  const staleness = imputation?.imputation === "none" ? NO_CARRY : configured;
  // By indicator, then region: two lookups of existing strings instead of building a key per call.
  const cache = new Map<string, Map<string, PickResult>>();
  const pick = (indicator: string, region: string): PickResult => {
    let byRegion = cache.get(indicator);
    if (byRegion === undefined) cache.set(indicator, (byRegion = new Map()));
    const hit = byRegion.get(region);
    if (hit !== undefined) return hit;
    const series = seriesOf(snapshot, indicator, region);
    const p = series.size === 0 ? null : pickWithStaleness([...series.values()], targetEnd, staleness);
    const result: PickResult =
      p === null
        ? { row: null, reason: "no_observations" }
        : p.value === null
          ? { row: null, reason: p.reason }
          : { row: series.get(p.period)!, carriedForward: p.carriedForward, ageMonths: p.ageMonths };
    if (
      imputation?.imputation === "linear" &&
      result.row !== null &&
      result.carriedForward &&
      imputation.interpolable(indicator)
    ) {
      const frequency = periodParts(result.row.period).frequency;
      const after = nextAfter(series, targetEnd, frequency, configured[frequency]);
      if (after !== null) {
        const row = interpolated(result.row, after, targetEnd, imputation.period);
        const imputed: PickResult = { row, carriedForward: false, ageMonths: 0 };
        byRegion.set(region, imputed);
        return imputed;
      }
    }
    byRegion.set(region, result);
    return result;
  };
  return Object.assign((indicator: string, region: string) => pick(indicator, region).row, { pick });
}
