// What a run found, for the terminal and --json: composites by region with their dimensions, and disparity.
import type { DuckDBConnection } from "@duckdb/node-api";
import type { RunRef } from "./run-ref.ts";
import { readRows, type RowOf } from "./rows.ts";
import { WAREHOUSE } from "../../schemas/index.ts";

export interface DimensionSummary {
  readonly score: number | null;
  readonly flagged: boolean;
  readonly scored: boolean;
  readonly coverage: number;
  /** Share of the dimension's indicator weight with a score (what the coverage threshold applies to). */
  readonly weightCoverage: number;
  /** no_indicators, no_scores or below_coverage; null when scored. */
  readonly reason: string | null;
  /** The score over the indicators present, before the coverage rule. */
  readonly rawScore: number | null;
}

export interface RegionSummary {
  readonly code: string;
  readonly name: string;
  readonly level: string;
  readonly score: number | null;
  readonly coverage: number;
  readonly rank: number | null;
  /** Why the region has no rank in its level (other dimensions scored than the compared regions). */
  readonly rankNote: string | null;
  readonly dimensionsExcluded: readonly string[];
  readonly dimensions: Readonly<Record<string, DimensionSummary>>;
}

/** One eval_disparity row as stored (`gongfu evaluate --json` prints it so). */
export type DisparityRow = RowOf<typeof DISPARITY_ROW>;

export interface RunSummary {
  readonly run: RunRef;
  readonly regions: readonly RegionSummary[];
  readonly disparity: readonly DisparityRow[];
}

const LEVEL_ORDER = "CASE c.region_level WHEN 'province' THEN 0 WHEN 'prefecture' THEN 1 ELSE 2 END";

const COMPOSITE_ROW = {
  region_code: "text",
  name_zh: "text?",
  region_level: "text",
  score: "number?",
  coverage: "number",
  rank_in_level: "number?",
  rank_note: "text?",
  dimensions_excluded: "text?",
} as const;

const DIMENSION_ROW = {
  region_code: "text",
  dimension_code: "text",
  score: "number?",
  flagged: "flag?",
  scored: "flag?",
  coverage: "number",
  weight_coverage: "number?",
  not_scored_reason: "text?",
  raw_score: "number?",
} as const;

const DISPARITY_ROW = {
  measure: "text",
  scope: "text",
  group_code: "text?",
  value: "number",
  target: "number?",
  meets_target: "flag?",
  weighted: "flag",
  units: "number",
  note: "text?",
} as const;

function dimensionSummary(d: RowOf<typeof DIMENSION_ROW>): DimensionSummary {
  return {
    score: d.score,
    flagged: d.flagged === true,
    scored: d.scored === true,
    coverage: d.coverage,
    weightCoverage: d.weight_coverage ?? d.coverage,
    reason: d.not_scored_reason,
    rawScore: d.raw_score,
  };
}

function regionSummary(
  c: RowOf<typeof COMPOSITE_ROW>,
  dimensions: Readonly<Record<string, DimensionSummary>>,
): RegionSummary {
  return {
    code: c.region_code,
    name: c.name_zh ?? "",
    level: c.region_level,
    score: c.score,
    coverage: c.coverage,
    rank: c.rank_in_level,
    rankNote: c.rank_note,
    dimensionsExcluded: (c.dimensions_excluded ?? "").split(",").filter(Boolean),
    dimensions,
  };
}

export async function runSummary(connection: DuckDBConnection, run: RunRef): Promise<RunSummary> {
  const composites = await readRows(
    connection,
    WAREHOUSE.evalComposite,
    COMPOSITE_ROW,
    `SELECT c.region_code, r.name_zh, c.region_level, c.score, c.coverage, c.rank_in_level, c.rank_note,
       c.dimensions_excluded
     FROM ${WAREHOUSE.evalComposite} c JOIN ${WAREHOUSE.dimRegion} r ON r.code = c.region_code
     WHERE c.run_id = $1 ORDER BY ${LEVEL_ORDER}, c.region_code`,
    [run.runId],
  );
  const dims = await readRows(
    connection,
    WAREHOUSE.evalDimensionScore,
    DIMENSION_ROW,
    `SELECT region_code, dimension_code, score, flagged, scored, coverage, weight_coverage, not_scored_reason, raw_score
     FROM ${WAREHOUSE.evalDimensionScore} WHERE run_id = $1 ORDER BY dimension_code`,
    [run.runId],
  );
  const byRegion = new Map<string, Record<string, DimensionSummary>>();
  for (const d of dims) {
    const m = byRegion.get(d.region_code) ?? {};
    m[d.dimension_code] = dimensionSummary(d);
    byRegion.set(d.region_code, m);
  }
  const disparity = await readRows(
    connection,
    WAREHOUSE.evalDisparity,
    DISPARITY_ROW,
    `SELECT measure, scope, group_code, value, target, meets_target, weighted, units, note
     FROM ${WAREHOUSE.evalDisparity} WHERE run_id = $1 ORDER BY scope, measure, group_code NULLS FIRST`,
    [run.runId],
  );
  return {
    run,
    regions: composites.map((c) => regionSummary(c, byRegion.get(c.region_code) ?? {})),
    disparity,
  };
}
