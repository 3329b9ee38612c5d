// Everything the HTML report shows, read from one run's tables and from what was known at its as-of.
import type { DuckDBConnection } from "@duckdb/node-api";
import { periodEnd, periodParts, periodsBetween, periodYear } from "../../schemas/index.ts";
import { readCatalog } from "../inputs/read-catalog.ts";
import { readObservations } from "../inputs/read-observations.ts";
import { deriveIndicators } from "../derive.ts";
import { seriesOf, snapshotOf, type EvalDimension } from "../model.ts";
import { fractionalYear } from "../score/fractional-year.ts";
import { runSummary, type RegionSummary } from "../present/run-summary.ts";
import { num, query, str, type Rec, type RunRef } from "../present/query.ts";

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
export interface RankRow {
  readonly region: string;
  readonly name: string;
  readonly closeness: number | null;
  readonly rank: number | null;
  readonly median: number | null;
  readonly p05: number | null;
  readonly p95: number | null;
  readonly byRatio: number | null;
  readonly byProgress: number | null;
}

export interface ReportData {
  readonly run: RunRef;
  readonly dimensions: readonly EvalDimension[];
  readonly regions: readonly RegionSummary[];
  readonly cityRanking: readonly RankRow[];
  readonly countiesRanked: number;
  readonly trends: readonly Trend[];
  readonly furthest: readonly Rec[];
  readonly disparity: readonly Rec[];
  readonly coverage: readonly Rec[];
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

async function trends(connection: DuckDBConnection, run: RunRef): Promise<Trend[]> {
  const catalog = await readCatalog(connection);
  const snapshot = snapshotOf(await readObservations(connection, run.asOf, periodsSince2020(run.period)));
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

async function cityRanking(connection: DuckDBConnection, runId: string): Promise<RankRow[]> {
  const rows = await query(
    connection,
    `SELECT s.region_code, r.name_zh, k.closeness, k.rank, s.median_rank, s.p05, s.p95, s.composite_rank_ratio, s.composite_rank_progress
     FROM eval_sensitivity s JOIN dim_region r ON r.code = s.region_code
     LEFT JOIN eval_ranking k ON k.run_id = s.run_id AND k.scope = s.scope AND k.region_code = s.region_code
     WHERE s.run_id = $1 AND s.scope = 'cities' ORDER BY k.rank NULLS LAST, s.region_code`,
    [runId],
  );
  return rows.map((r) => ({
    region: String(r["region_code"]),
    name: str(r["name_zh"]) ?? "",
    closeness: num(r["closeness"]),
    rank: num(r["rank"]),
    median: num(r["median_rank"]),
    p05: num(r["p05"]),
    p95: num(r["p95"]),
    byRatio: num(r["composite_rank_ratio"]),
    byProgress: num(r["composite_rank_progress"]),
  }));
}

export async function readReportData(connection: DuckDBConnection, run: RunRef): Promise<ReportData> {
  const summary = await runSummary(connection, run);
  const furthest = await query(
    connection,
    `SELECT s.region_code, r.name_zh AS region_name, r.level, s.indicator_code, i.name_zh, i.name_en, i.unit, s.value, s.target_op, s.target, s.realisation,
       s.on_track, s.period_used, s.carried_forward, s.derived
     FROM eval_indicator_score s JOIN dim_indicator i ON i.code = s.indicator_code JOIN dim_region r ON r.code = s.region_code
     WHERE s.run_id = $1 AND s.realisation IS NOT NULL AND r.level IN ('province', 'prefecture') AND s.target_op NOT LIKE 'trend%'
     ORDER BY s.realisation, r.level DESC, s.region_code, s.indicator_code LIMIT 15`,
    [run.runId],
  );
  const coverage = await query(
    connection,
    `SELECT r.level, count(DISTINCT s.region_code) AS regions, count(*) FILTER (WHERE s.value IS NOT NULL) AS values_used,
       count(*) AS cells, count(*) FILTER (WHERE s.carried_forward) AS carried_forward, count(*) FILTER (WHERE s.derived) AS derived
     FROM eval_indicator_score s JOIN dim_region r ON r.code = s.region_code WHERE s.run_id = $1
     GROUP BY r.level ORDER BY CASE r.level WHEN 'province' THEN 0 WHEN 'prefecture' THEN 1 ELSE 2 END`,
    [run.runId],
  );
  const [counties] = await query(
    connection,
    "SELECT count(*) AS n FROM eval_ranking WHERE run_id = $1 AND scope = 'counties' AND included",
    [run.runId],
  );
  return {
    run,
    dimensions: (await readCatalog(connection)).dimensions,
    regions: summary.regions,
    cityRanking: await cityRanking(connection, run.runId),
    countiesRanked: Number(counties?.["n"] ?? 0),
    trends: await trends(connection, run),
    furthest,
    disparity: summary.disparity,
    coverage,
  };
}
