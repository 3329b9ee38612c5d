// What a run found, for the terminal and --json: composites by region with their dimensions, and disparity.
import type { DuckDBConnection } from "@duckdb/node-api";
import { num, query, str, type Rec, type RunRef } from "./run-ref.ts";

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

export interface RunSummary {
  readonly run: RunRef;
  readonly regions: readonly RegionSummary[];
  readonly disparity: readonly Rec[];
}

const LEVEL_ORDER = "CASE c.region_level WHEN 'province' THEN 0 WHEN 'prefecture' THEN 1 ELSE 2 END";

export async function runSummary(connection: DuckDBConnection, run: RunRef): Promise<RunSummary> {
  const composites = await query(
    connection,
    `SELECT c.region_code, r.name_zh, c.region_level, c.score, c.coverage, c.rank_in_level, c.rank_note, c.dimensions_excluded FROM eval_composite c JOIN dim_region r ON r.code = c.region_code
     WHERE c.run_id = $1 ORDER BY ${LEVEL_ORDER}, c.region_code`,
    [run.runId],
  );
  const dims = await query(
    connection,
    `SELECT region_code, dimension_code, score, flagged, scored, coverage, weight_coverage, not_scored_reason, raw_score
     FROM eval_dimension_score WHERE run_id = $1 ORDER BY dimension_code`,
    [run.runId],
  );
  const byRegion = new Map<string, Record<string, DimensionSummary>>();
  for (const d of dims) {
    const m = byRegion.get(String(d["region_code"])) ?? {};
    m[String(d["dimension_code"])] = {
      score: num(d["score"]),
      flagged: d["flagged"] === true,
      scored: d["scored"] === true,
      coverage: Number(d["coverage"]),
      weightCoverage: num(d["weight_coverage"]) ?? Number(d["coverage"]),
      reason: str(d["not_scored_reason"]),
      rawScore: num(d["raw_score"]),
    };
    byRegion.set(String(d["region_code"]), m);
  }
  const disparity = await query(
    connection,
    "SELECT measure, scope, group_code, value, target, meets_target, weighted, units, note FROM eval_disparity WHERE run_id = $1 ORDER BY scope, measure, group_code NULLS FIRST",
    [run.runId],
  );
  return {
    run,
    regions: composites.map((c) => ({
      code: String(c["region_code"]),
      name: str(c["name_zh"]) ?? "",
      level: String(c["region_level"]),
      score: num(c["score"]),
      coverage: Number(c["coverage"]),
      rank: num(c["rank_in_level"]),
      rankNote: str(c["rank_note"]),
      dimensionsExcluded: (str(c["dimensions_excluded"]) ?? "").split(",").filter(Boolean),
      dimensions: byRegion.get(String(c["region_code"])) ?? {},
    })),
    disparity,
  };
}
