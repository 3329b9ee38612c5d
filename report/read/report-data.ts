// Everything the HTML report shows, read from one run's tables and from what was known at its as-of.
import type { DuckDBConnection } from "@duckdb/node-api";
import { provinceTrends, readCatalog, type EvalDimension, type Trend } from "../../evaluate/index.ts";
import { runSummary, type RegionSummary } from "./run-summary.ts";
import { num, query, str, type Rec, type RunRef } from "./run-ref.ts";

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
    trends: await provinceTrends(connection, run.asOf, run.period),
    furthest,
    disparity: summary.disparity,
    coverage,
  };
}
