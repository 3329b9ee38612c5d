// The rows `gongfu explain` reads: what each query selects, typed; scores keep every column of their table.
import type { DuckDBConnection } from "@duckdb/node-api";
import { readRows, type RowOf } from "./rows.ts";
import { WAREHOUSE } from "../../schemas/index.ts";

export const TS = (col: string) => `strftime(${col} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')`;

/** eval_composite.* with the region's name. */
export const COMPOSITE_ROW = {
  region_level: "text",
  name_zh: "text?",
  score: "number?",
  dimensions_scored: "number?",
  dimensions_used: "text?",
  dimensions_excluded: "text?",
  rank_in_level: "number?",
  rank_note: "text?",
} as const;
export type CompositeRow = RowOf<typeof COMPOSITE_ROW>;

/** eval_dimension_score.* with the dimension's names. */
export const DIMENSION_ROW = {
  dimension_code: "text",
  name_zh: "text?",
  name_en: "text?",
  score: "number?",
  scored: "flag?",
  not_scored_reason: "text?",
  raw_score: "number?",
  weight: "number?",
  contribution: "number?",
  indicators: "number?",
  present: "number?",
  weight_coverage: "number?",
} as const;
export type DimensionRow = RowOf<typeof DIMENSION_ROW>;

/** eval_indicator_score.* (vintage as text) with the indicator's name and unit. */
export const INDICATOR_ROW = {
  indicator_code: "text",
  dimension_code: "text",
  name_zh: "text?",
  unit: "text?",
  value: "number?",
  null_reason: "text?",
  period_used: "text?",
  carried_forward: "flag?",
  age_months: "number?",
  derived: "flag?",
  imputation: "text?",
  target_op: "text?",
  target: "number?",
  band_lower: "number?",
  band_upper: "number?",
  previous: "number?",
  realisation: "number?",
  method: "text?",
  weight: "number?",
  weight_in_dimension: "number?",
  weight_source: "text?",
  contribution: "number?",
  on_track: "flag?",
  path_value: "number?",
} as const;
export type IndicatorRow = RowOf<typeof INDICATOR_ROW>;

const USED_ROW = {
  indicator_code: "text",
  role: "text",
  source_region: "text",
  source_indicator: "text",
  period: "text",
  value: "number",
  vintage: "text?",
  source_feed: "text?",
  source_uri: "text?",
  source_position: "text?",
  source_line: "number?",
  unit: "text?",
} as const;
export type UsedRow = RowOf<typeof USED_ROW>;

const ROLE_ORDER = "CASE u.role WHEN 'value' THEN 0 WHEN 'previous' THEN 1 WHEN 'baseline' THEN 2 ELSE 3 END";

/** The observations a run used for `region`, each with its source file and line where the warehouse has one. */
export function readObservationsUsed(connection: DuckDBConnection, runId: string, region: string): Promise<UsedRow[]> {
  return readRows(
    connection,
    WAREHOUSE.evalObservationUsed,
    USED_ROW,
    `SELECT u.indicator_code, u.role, u.source_region, u.source_indicator, u.period, u.value,
       ${TS("u.vintage")} AS vintage, f.source_feed, f.source_uri, f.source_position, f.source_line, i.unit
     FROM ${WAREHOUSE.evalObservationUsed} u LEFT JOIN ${WAREHOUSE.factObservation} f ON f.obs_key = u.obs_key
       LEFT JOIN ${WAREHOUSE.dimIndicator} i ON i.code = u.source_indicator
     WHERE u.run_id = $1 AND u.region_code = $2
     ORDER BY u.indicator_code, ${ROLE_ORDER}, u.source_region`,
    [runId, region],
  );
}
