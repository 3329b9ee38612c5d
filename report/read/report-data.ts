// Everything the HTML report shows, read from one run's tables and from what was known at its as-of.
import type { DuckDBConnection } from "@duckdb/node-api";
import { provinceTrends, readCatalog, type EvalDimension, type Trend } from "../../evaluate/index.ts";
import { runSummary, type RegionSummary } from "./run-summary.ts";
import type { RunRef } from "./run-ref.ts";
import { readRows, type RowOf } from "./rows.ts";
import type { DisparityRow } from "./run-summary.ts";
import { WAREHOUSE } from "../../schemas/index.ts";

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
  readonly furthest: readonly FurthestRow[];
  readonly disparity: readonly DisparityRow[];
  readonly coverage: readonly CoverageRow[];
}

const RANK_ROW = {
  region_code: "text",
  name_zh: "text?",
  closeness: "number?",
  rank: "number?",
  median_rank: "number?",
  p05: "number?",
  p95: "number?",
  composite_rank_ratio: "number?",
  composite_rank_progress: "number?",
} as const;

const FURTHEST_ROW = {
  region_code: "text",
  region_name: "text?",
  level: "text",
  indicator_code: "text",
  name_zh: "text?",
  name_en: "text?",
  unit: "text?",
  value: "number?",
  target_op: "text?",
  target: "number?",
  realisation: "number",
  on_track: "flag?",
  period_used: "text?",
  carried_forward: "flag?",
  derived: "flag?",
} as const;
/** An indicator of the province or a city, among the furthest from its target. */
export type FurthestRow = RowOf<typeof FURTHEST_ROW>;

/** Counts are BIGINT: text, as DuckDB gives them to JSON. */
const COVERAGE_ROW = {
  level: "text",
  regions: "bigint",
  values_used: "bigint",
  cells: "bigint",
  carried_forward: "bigint",
  derived: "bigint",
} as const;
/** How many of a region level's indicator cells had a value, were carried forward or derived. */
export type CoverageRow = RowOf<typeof COVERAGE_ROW>;

const LEVEL_ORDER = "CASE r.level WHEN 'province' THEN 0 WHEN 'prefecture' THEN 1 ELSE 2 END";

async function cityRanking(connection: DuckDBConnection, runId: string): Promise<RankRow[]> {
  const rows = await readRows(
    connection,
    WAREHOUSE.evalSensitivity,
    RANK_ROW,
    `SELECT s.region_code, r.name_zh, k.closeness, k.rank, s.median_rank, s.p05, s.p95, s.composite_rank_ratio,
       s.composite_rank_progress
     FROM ${WAREHOUSE.evalSensitivity} s JOIN ${WAREHOUSE.dimRegion} r ON r.code = s.region_code
     LEFT JOIN ${WAREHOUSE.evalRanking} k ON k.run_id = s.run_id AND k.scope = s.scope AND k.region_code = s.region_code
     WHERE s.run_id = $1 AND s.scope = 'cities' ORDER BY k.rank NULLS LAST, s.region_code`,
    [runId],
  );
  return rows.map((r) => ({
    region: r.region_code,
    name: r.name_zh ?? "",
    closeness: r.closeness,
    rank: r.rank,
    median: r.median_rank,
    p05: r.p05,
    p95: r.p95,
    byRatio: r.composite_rank_ratio,
    byProgress: r.composite_rank_progress,
  }));
}

/** Province and cities, lowest realisation first, trend indicators left out: the 15 furthest from target. */
function readFurthest(connection: DuckDBConnection, runId: string): Promise<FurthestRow[]> {
  return readRows(
    connection,
    WAREHOUSE.evalIndicatorScore,
    FURTHEST_ROW,
    `SELECT s.region_code, r.name_zh AS region_name, r.level, s.indicator_code, i.name_zh, i.name_en, i.unit, s.value,
       s.target_op, s.target, s.realisation, s.on_track, s.period_used, s.carried_forward, s.derived
     FROM ${WAREHOUSE.evalIndicatorScore} s JOIN ${WAREHOUSE.dimIndicator} i ON i.code = s.indicator_code
       JOIN ${WAREHOUSE.dimRegion} r ON r.code = s.region_code
     WHERE s.run_id = $1 AND s.realisation IS NOT NULL AND r.level IN ('province', 'prefecture')
       AND s.target_op NOT LIKE 'trend%'
     ORDER BY s.realisation, r.level DESC, s.region_code, s.indicator_code LIMIT 15`,
    [runId],
  );
}

function readCoverage(connection: DuckDBConnection, runId: string): Promise<CoverageRow[]> {
  return readRows(
    connection,
    WAREHOUSE.evalIndicatorScore,
    COVERAGE_ROW,
    `SELECT r.level, count(DISTINCT s.region_code) AS regions, count(*) FILTER (WHERE s.value IS NOT NULL) AS values_used,
       count(*) AS cells, count(*) FILTER (WHERE s.carried_forward) AS carried_forward,
       count(*) FILTER (WHERE s.derived) AS derived
     FROM ${WAREHOUSE.evalIndicatorScore} s JOIN ${WAREHOUSE.dimRegion} r ON r.code = s.region_code WHERE s.run_id = $1
     GROUP BY r.level ORDER BY ${LEVEL_ORDER}`,
    [runId],
  );
}

export async function readReportData(connection: DuckDBConnection, run: RunRef): Promise<ReportData> {
  const summary = await runSummary(connection, run);
  const furthest = await readFurthest(connection, run.runId);
  const coverage = await readCoverage(connection, run.runId);
  const [counties] = await readRows(
    connection,
    WAREHOUSE.evalRanking,
    { n: "bigint" },
    `SELECT count(*) AS n FROM ${WAREHOUSE.evalRanking} WHERE run_id = $1 AND scope = 'counties' AND included`,
    [run.runId],
  );
  return {
    run,
    dimensions: (await readCatalog(connection)).dimensions,
    regions: summary.regions,
    cityRanking: await cityRanking(connection, run.runId),
    countiesRanked: Number(counties?.n ?? 0),
    trends: await provinceTrends(connection, run.asOf, run.period),
    furthest,
    disparity: summary.disparity,
    coverage,
  };
}
