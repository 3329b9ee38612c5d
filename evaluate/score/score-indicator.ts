// One region's value of one target indicator: picked with the staleness rule, scored both ways, checked against the path.
import { previousPeriod } from "../../schemas/index.ts";
import { bandDegree, onTrack, realisationDegree, type Band, type Realisation } from "../math/index.ts";
import type { EvalConfig } from "../eval-config.ts";
import type { EvalIndicator, ObsRow } from "../model.ts";
import type { PickResult } from "../inputs/pick-value.ts";
import { fractionalYear } from "./fractional-year.ts";

export interface UsedObservation {
  readonly role: "value" | "previous" | "baseline" | "input";
  readonly obs:
    | ObsRow
    | {
        readonly indicator: string;
        readonly region: string;
        readonly period: string;
        readonly value: number;
        readonly vintage: null;
        readonly obsKey: null;
      };
}

export interface IndicatorScore {
  readonly indicator: EvalIndicator;
  readonly region: string;
  readonly picked: ObsRow | null;
  readonly carriedForward: boolean | null;
  readonly ageMonths: number | null;
  readonly nullReason: string | null;
  readonly baseline: number | null;
  readonly previous: number | null;
  /** Degrees under each method; trend indicators score the same under both. */
  readonly ratio: Realisation;
  readonly progress: Realisation;
  readonly onTrack: boolean | null;
  readonly pathValue: number | null;
  readonly used: readonly UsedObservation[];
}

export type ScoreConfig = Pick<EvalConfig, "trend">;

function methodLabel(r: Realisation): string | null {
  if (r.score === null) return null;
  return r.fellBackToRatio ? "ratio_fallback" : r.methodUsed;
}
export { methodLabel };

function baselineOf(
  ind: EvalIndicator,
  regionCode: string,
  series: ReadonlyMap<string, ObsRow>,
  isProvince: boolean,
): UsedObservation | null {
  const own = series.get("2020");
  if (own) return { role: "baseline", obs: own };
  if (isProvince && ind.baseline2020 !== null) {
    return {
      role: "baseline",
      obs: {
        indicator: ind.code,
        region: regionCode,
        period: "2020",
        value: ind.baseline2020,
        vintage: null,
        obsKey: null,
      },
    };
  }
  return null;
}

/** Scores `ind` for one region: `pick` is the value the staleness rule chose from `series` (all its observations). */
export function scoreIndicator(
  ind: EvalIndicator,
  region: string,
  isProvince: boolean,
  series: ReadonlyMap<string, ObsRow>,
  pick: PickResult,
  config: ScoreConfig,
  band?: Band,
): IndicatorScore {
  const base = { indicator: ind, region, baseline: null, previous: null, onTrack: null, pathValue: null } as const;
  if (pick.row === null) {
    const none: Realisation = { score: null, reason: "no_value" };
    return {
      ...base,
      picked: null,
      carriedForward: null,
      ageMonths: null,
      nullReason: pick.reason,
      ratio: none,
      progress: none,
      used: [],
    };
  }
  const picked = pick.row;
  const used: UsedObservation[] = [
    { role: "value", obs: picked },
    ...(picked.derivedFrom ?? []).map((o): UsedObservation => ({ role: "input", obs: o })),
  ];
  const common = { ...base, picked, carriedForward: pick.carriedForward, ageMonths: pick.ageMonths };
  if (band !== undefined) {
    // An interval target scores the same under both methods: there is no single target to progress towards.
    const r: Realisation = { score: bandDegree(picked.value, band), methodUsed: "band", fellBackToRatio: false };
    return { ...common, nullReason: null, ratio: r, progress: r, used };
  }
  const op = ind.op!;
  if (op === "trend_up" || op === "trend_down") {
    const prev = series.get(previousPeriod(picked.period));
    if (prev) used.push({ role: "previous", obs: prev });
    const r = realisationDegree({
      value: picked.value,
      op,
      ...(prev ? { previous: prev.value } : {}),
      tolerance: config.trend.tolerance,
      trendScores: config.trend.scores,
    });
    return {
      ...common,
      previous: prev?.value ?? null,
      nullReason: r.score === null ? r.reason : null,
      ratio: r,
      progress: r,
      used,
    };
  }
  const b = baselineOf(ind, region, series, isProvince);
  if (b) used.push(b);
  const input = {
    value: picked.value,
    op,
    ...(ind.target !== null ? { target: ind.target } : {}),
    ...(b ? { baseline: b.obs.value } : {}),
  };
  const ratio = realisationDegree({ ...input, method: "ratio" });
  const progress = realisationDegree({ ...input, method: "progress" });
  const path =
    b && ind.target !== null
      ? onTrack({
          value: picked.value,
          year: fractionalYear(picked.period),
          baseline: b.obs.value,
          target: ind.target,
          op,
        })
      : null;
  return {
    ...common,
    baseline: b?.obs.value ?? null,
    nullReason: ratio.score === null ? ratio.reason : null,
    ratio,
    progress,
    onTrack: path?.onTrack ?? null,
    pathValue: path?.expected ?? null,
    used,
  };
}
