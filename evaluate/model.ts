// What a run reads from the warehouse, in the evaluator's own terms.
import type { IndicatorOp } from "./math/index.ts";

export type RegionLevel = "province" | "prefecture" | "county";
export type Frequency = "annual" | "quarterly" | "monthly";

export interface EvalIndicator {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly dimension: string;
  readonly unit: string;
  readonly direction: "higher" | "lower";
  readonly op: IndicatorOp | null;
  readonly target: number | null;
  readonly baseline2020: number | null;
  readonly frequency: Frequency;
  readonly kind: "target" | "supporting";
}

export interface EvalRegion {
  readonly code: string;
  readonly nameZh: string;
  readonly level: RegionLevel;
  readonly parentCode: string | null;
  readonly eco11: boolean;
  readonly mountain26: boolean;
}

export interface EvalDimension {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
}

/** The catalog as the warehouse holds it (dim_indicator, dim_region, dim_dimension). */
export interface EvalCatalog {
  readonly indicators: readonly EvalIndicator[];
  readonly regions: readonly EvalRegion[];
  readonly dimensions: readonly EvalDimension[];
  readonly hash: string;
}

/** One observation known at the run's as-of instant; derived ones carry the observations they came from. */
export interface ObsRow {
  readonly indicator: string;
  readonly region: string;
  readonly period: string;
  readonly value: number;
  /** ISO 8601 instant of publication. */
  readonly vintage: string;
  /** fact_observation.obs_key; null for a derived value. */
  readonly obsKey: bigint | null;
  readonly derivedFrom?: readonly ObsRow[];
  readonly rule?: string;
  /** Set when the value was imputed for the period (between `derivedFrom`'s two observations). */
  readonly imputed?: "linear";
}

/** Observations by indicator, then region, then period. */
export type Snapshot = Map<string, Map<string, Map<string, ObsRow>>>;

export function snapshotOf(rows: Iterable<ObsRow>): Snapshot {
  const s: Snapshot = new Map();
  for (const r of rows) addToSnapshot(s, r);
  return s;
}

export function addToSnapshot(s: Snapshot, r: ObsRow): void {
  let byRegion = s.get(r.indicator);
  if (!byRegion) s.set(r.indicator, (byRegion = new Map()));
  let byPeriod = byRegion.get(r.region);
  if (!byPeriod) byRegion.set(r.region, (byPeriod = new Map()));
  byPeriod.set(r.period, r);
}

export function seriesOf(s: Snapshot, indicator: string, region: string): ReadonlyMap<string, ObsRow> {
  return s.get(indicator)?.get(region) ?? new Map();
}
