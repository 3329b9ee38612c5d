// The value a run uses for any indicator and region: the staleness rule, computed once per pair.
import { pickWithStaleness } from "../math/index.ts";
import type { EvalConfig } from "../eval-config.ts";
import { seriesOf, type ObsRow, type Snapshot } from "../model.ts";

export type PickResult =
  | { readonly row: ObsRow; readonly carriedForward: boolean; readonly ageMonths: number }
  | { readonly row: null; readonly reason: string };

export interface ValuePicker {
  /** The observation used, with whether it was carried forward, or why there is none. */
  pick(indicator: string, region: string): PickResult;
  /** Shorthand: the observation used, or null. */
  (indicator: string, region: string): ObsRow | null;
}

export function createValuePicker(
  snapshot: Snapshot,
  targetEnd: string,
  staleness: EvalConfig["staleness"],
): ValuePicker {
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
    byRegion.set(region, result);
    return result;
  };
  return Object.assign((indicator: string, region: string) => pick(indicator, region).row, { pick });
}
