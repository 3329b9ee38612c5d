// The province's series of each target indicator since 2020 as known at an as-of, derived values included: the
// report draws them, and the derivation is evaluate's, so the report reads them through evaluate's door.
import type { DuckDBConnection } from "@duckdb/node-api";
import { periodEnd, periodParts, periodsBetween, periodYear } from "../schemas/index.ts";
import { readCatalog } from "./inputs/read-catalog.ts";
import { readObservations } from "./inputs/read-observations.ts";
import { deriveIndicators } from "./derive.ts";
import { seriesOf, snapshotOf } from "./model.ts";
import { fractionalYear } from "./score/fractional-year.ts";

export interface TrendPoint {
  readonly period: string;
  /** Annual, quarterly and monthly observations of one indicator are drawn as separate lines. */
  readonly frequency: "annual" | "quarterly" | "monthly";
  readonly x: number;
  readonly value: number;
  readonly derived: boolean;
}
export interface Trend {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly unit: string;
  readonly op: string;
  readonly target: number | null;
  readonly baseline: number | null;
  readonly points: readonly TrendPoint[];
}

const FIRST_YEAR = 2020;

/** Every period from 2020 to the end of `period`, in each frequency. */
function periodsSince2020(period: string): string[] {
  const year = periodYear(period);
  const end = periodEnd(period);
  return [
    ...periodsBetween(`${FIRST_YEAR}`, `${year}`),
    ...periodsBetween(`${FIRST_YEAR}Q1`, `${year}Q4`),
    ...periodsBetween(`${FIRST_YEAR}-01`, `${year}-12`),
  ].filter((p) => periodEnd(p) <= end);
}

/** One trend per target indicator with a province value, ordered by dimension, then code. */
export async function provinceTrends(connection: DuckDBConnection, asOf: string, period: string): Promise<Trend[]> {
  const catalog = await readCatalog(connection);
  const snapshot = snapshotOf(await readObservations(connection, asOf, periodsSince2020(period)));
  deriveIndicators(snapshot, catalog);
  const province = catalog.regions.find((r) => r.level === "province")?.code ?? "330000";
  const dimensionOf = new Map(catalog.indicators.map((i) => [i.code, i.dimension] as const));
  return catalog.indicators
    .filter((i) => i.kind === "target" && i.op !== null)
    .map((i) => {
      const points = [...seriesOf(snapshot, i.code, province).values()]
        .map((o) => ({
          period: o.period,
          frequency: periodParts(o.period).frequency,
          x: fractionalYear(o.period),
          value: o.value,
          derived: o.derivedFrom !== undefined,
        }))
        .sort((a, b) => a.x - b.x);
      const own2020 = points.find((p) => p.period === "2020")?.value ?? null;
      return {
        code: i.code,
        nameZh: i.nameZh,
        nameEn: i.nameEn,
        unit: i.unit,
        op: i.op ?? "",
        target: i.target,
        baseline: own2020 ?? i.baseline2020,
        points,
      };
    })
    .filter((t) => t.points.length > 0)
    .sort((a, b) => dimensionOf.get(a.code)!.localeCompare(dimensionOf.get(b.code)!) || a.code.localeCompare(b.code));
}
