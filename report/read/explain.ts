// How one region's score was made: composite → dimensions → indicators → observations → source file and line.
import type { DuckDBConnection } from "@duckdb/node-api";
import { ConfigError } from "../../runtime/errors.ts";
import { num, query, str, type Rec, type RunRef } from "./run-ref.ts";

export interface ExplainedObservation {
  readonly role: string;
  readonly region: string;
  readonly indicator: string;
  readonly period: string;
  readonly value: number;
  /** Unit code of the observation's indicator (dim_indicator.unit). */
  readonly unit: string | null;
  readonly vintage: string | null;
  /** Null for a baseline taken from the catalog (dim_indicator.baseline_2020). */
  readonly source: {
    readonly feed: string;
    readonly uri: string;
    readonly position: string;
    readonly line: number | null;
  } | null;
}

export interface ExplainedIndicator {
  readonly code: string;
  readonly name: string;
  readonly unit: string;
  readonly score: Rec;
  readonly observations: readonly ExplainedObservation[];
}

export interface ExplainedDimension {
  readonly code: string;
  readonly name: string;
  readonly score: Rec;
  readonly indicators: readonly ExplainedIndicator[];
}

export interface Explanation {
  readonly run: RunRef;
  readonly region: { readonly code: string; readonly name: string; readonly level: string };
  readonly composite: Rec;
  /** Regions ranked in the level (comparable coverage). */
  readonly levelCount: number;
  readonly dimensions: readonly ExplainedDimension[];
}

const TS = (col: string) => `strftime(${col} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')`;

async function observations(
  connection: DuckDBConnection,
  runId: string,
  region: string,
): Promise<Map<string, ExplainedObservation[]>> {
  const rows = await query(
    connection,
    `SELECT u.indicator_code, u.role, u.source_region, u.source_indicator, u.period, u.value, ${TS("u.vintage")} AS vintage,
       f.source_feed, f.source_uri, f.source_position, f.source_line, i.unit
     FROM eval_observation_used u LEFT JOIN fact_observation f ON f.obs_key = u.obs_key
       LEFT JOIN dim_indicator i ON i.code = u.source_indicator
     WHERE u.run_id = $1 AND u.region_code = $2
     ORDER BY u.indicator_code, CASE u.role WHEN 'value' THEN 0 WHEN 'previous' THEN 1 WHEN 'baseline' THEN 2 ELSE 3 END, u.source_region`,
    [runId, region],
  );
  const out = new Map<string, ExplainedObservation[]>();
  for (const r of rows) {
    const list = out.get(String(r["indicator_code"])) ?? [];
    list.push({
      role: String(r["role"]),
      region: String(r["source_region"]),
      indicator: String(r["source_indicator"]),
      period: String(r["period"]),
      value: Number(r["value"]),
      unit: str(r["unit"]),
      vintage: str(r["vintage"]),
      source:
        r["source_uri"] === null
          ? null
          : {
              feed: String(r["source_feed"]),
              uri: String(r["source_uri"]),
              position: String(r["source_position"]),
              line: num(r["source_line"]),
            },
    });
    out.set(String(r["indicator_code"]), list);
  }
  return out;
}

/** Reads the explanation of `region` in `run`, optionally only for some indicators. */
export async function explainRegion(
  connection: DuckDBConnection,
  run: RunRef,
  region: string,
  indicators: readonly string[] = [],
): Promise<Explanation> {
  const [composite] = await query(
    connection,
    "SELECT c.*, r.name_zh FROM eval_composite c JOIN dim_region r ON r.code = c.region_code WHERE c.run_id = $1 AND c.region_code = $2",
    [run.runId, region],
  );
  if (!composite)
    throw new ConfigError(`region ${region} has no scores in run ${run.runId} (period ${run.period})`, {
      hint: "no observation of this region was usable for the period; check the region code (gongfu evaluate --period … lists the regions)",
    });
  const [count] = await query(
    connection,
    "SELECT count(*) AS n FROM eval_composite WHERE run_id = $1 AND region_level = $2 AND rank_in_level IS NOT NULL",
    [run.runId, String(composite["region_level"])],
  );
  const dims = await query(
    connection,
    "SELECT d.*, dd.name_zh, dd.name_en FROM eval_dimension_score d JOIN dim_dimension dd ON dd.code = d.dimension_code WHERE d.run_id = $1 AND d.region_code = $2 ORDER BY d.dimension_code",
    [run.runId, region],
  );
  const scores = await query(
    connection,
    `SELECT s.* EXCLUDE (vintage), ${TS("s.vintage")} AS vintage, i.name_zh, i.unit FROM eval_indicator_score s JOIN dim_indicator i ON i.code = s.indicator_code
     WHERE s.run_id = $1 AND s.region_code = $2 ORDER BY s.dimension_code, s.realisation IS NULL, s.indicator_code`,
    [run.runId, region],
  );
  const unknown = indicators.filter((code) => !scores.some((s) => s["indicator_code"] === code));
  if (unknown.length > 0)
    throw new ConfigError(`--indicator ${unknown.join(", ")}: not a target indicator scored for ${region}`, {
      hint: "use codes from dim_indicator whose kind is target",
    });
  const used = await observations(connection, run.runId, region);
  const wanted = (code: unknown) => indicators.length === 0 || indicators.includes(String(code));
  return {
    run,
    region: { code: region, name: String(composite["name_zh"]), level: String(composite["region_level"]) },
    composite,
    levelCount: Number(count?.["n"] ?? 0),
    dimensions: dims
      .map((d) => ({
        code: String(d["dimension_code"]),
        name: `${String(d["name_zh"])} ${String(d["name_en"])}`,
        score: d,
        indicators: scores
          .filter((s) => s["dimension_code"] === d["dimension_code"] && wanted(s["indicator_code"]))
          .map((s) => ({
            code: String(s["indicator_code"]),
            name: String(s["name_zh"]),
            unit: String(s["unit"]),
            score: s,
            observations: used.get(String(s["indicator_code"])) ?? [],
          })),
      }))
      .filter((d) => indicators.length === 0 || d.indicators.length > 0),
  };
}
