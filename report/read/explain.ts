// How one region's score was made: composite → dimensions → indicators → observations → source file and line.
import type { DuckDBConnection } from "@duckdb/node-api";
import { ConfigError } from "../../runtime/errors.ts";
import type { RunRef } from "./run-ref.ts";
import { readRows } from "./rows.ts";
import {
  COMPOSITE_ROW,
  DIMENSION_ROW,
  INDICATOR_ROW,
  readObservationsUsed,
  TS,
  type CompositeRow,
  type DimensionRow,
  type IndicatorRow,
} from "./explain-rows.ts";
import { WAREHOUSE } from "../../schemas/index.ts";

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
  readonly score: IndicatorRow;
  readonly observations: readonly ExplainedObservation[];
}

export interface ExplainedDimension {
  readonly code: string;
  readonly name: string;
  readonly score: DimensionRow;
  readonly indicators: readonly ExplainedIndicator[];
}

export interface Explanation {
  readonly run: RunRef;
  readonly region: { readonly code: string; readonly name: string; readonly level: string };
  readonly composite: CompositeRow;
  /** Regions ranked in the level (comparable coverage). */
  readonly levelCount: number;
  readonly dimensions: readonly ExplainedDimension[];
}

async function observations(
  connection: DuckDBConnection,
  runId: string,
  region: string,
): Promise<Map<string, ExplainedObservation[]>> {
  const out = new Map<string, ExplainedObservation[]>();
  for (const r of await readObservationsUsed(connection, runId, region)) {
    const list = out.get(r.indicator_code) ?? [];
    list.push({
      role: r.role,
      region: r.source_region,
      indicator: r.source_indicator,
      period: r.period,
      value: r.value,
      unit: r.unit,
      vintage: r.vintage,
      source:
        r.source_uri === null
          ? null
          : { feed: `${r.source_feed}`, uri: r.source_uri, position: `${r.source_position}`, line: r.source_line },
    });
    out.set(r.indicator_code, list);
  }
  return out;
}

const NO_SCORES_HINT =
  "no observation of this region was usable for the period; " +
  "check the region code (gongfu evaluate --period … lists the regions)";

/** Reads the explanation of `region` in `run`, optionally only for some indicators. */
export async function explainRegion(
  connection: DuckDBConnection,
  run: RunRef,
  region: string,
  indicators: readonly string[] = [],
): Promise<Explanation> {
  const [composite] = await readRows(
    connection,
    WAREHOUSE.evalComposite,
    COMPOSITE_ROW,
    `SELECT c.*, r.name_zh FROM ${WAREHOUSE.evalComposite} c JOIN ${WAREHOUSE.dimRegion} r ON r.code = c.region_code
     WHERE c.run_id = $1 AND c.region_code = $2`,
    [run.runId, region],
  );
  if (!composite)
    throw new ConfigError(`region ${region} has no scores in run ${run.runId} (period ${run.period})`, {
      hint: NO_SCORES_HINT,
    });
  const [count] = await readRows(
    connection,
    WAREHOUSE.evalComposite,
    { n: "bigint" },
    `SELECT count(*) AS n FROM ${WAREHOUSE.evalComposite} WHERE run_id = $1 AND region_level = $2 AND rank_in_level IS NOT NULL`,
    [run.runId, composite.region_level],
  );
  const dims = await readRows(
    connection,
    WAREHOUSE.evalDimensionScore,
    DIMENSION_ROW,
    `SELECT d.*, dd.name_zh, dd.name_en FROM ${WAREHOUSE.evalDimensionScore} d JOIN ${WAREHOUSE.dimDimension} ` +
      `dd ON dd.code = d.dimension_code
     WHERE d.run_id = $1 AND d.region_code = $2 ORDER BY d.dimension_code`,
    [run.runId, region],
  );
  const scores = await readRows(
    connection,
    WAREHOUSE.evalIndicatorScore,
    INDICATOR_ROW,
    `SELECT s.* EXCLUDE (vintage), ${TS("s.vintage")} AS vintage, i.name_zh, i.unit
     FROM ${WAREHOUSE.evalIndicatorScore} s JOIN ${WAREHOUSE.dimIndicator} i ON i.code = s.indicator_code
     WHERE s.run_id = $1 AND s.region_code = $2 ORDER BY s.dimension_code, s.realisation IS NULL, s.indicator_code`,
    [run.runId, region],
  );
  const unknown = indicators.filter((code) => !scores.some((s) => s.indicator_code === code));
  if (unknown.length > 0)
    throw new ConfigError(`--indicator ${unknown.join(", ")}: not a target indicator scored for ${region}`, {
      hint: "use codes from dim_indicator whose kind is target",
    });
  const used = await observations(connection, run.runId, region);
  const wanted = (code: string) => indicators.length === 0 || indicators.includes(code);
  const explained = (s: IndicatorRow): ExplainedIndicator => ({
    code: s.indicator_code,
    name: `${s.name_zh}`,
    unit: `${s.unit}`,
    score: s,
    observations: used.get(s.indicator_code) ?? [],
  });
  return {
    run,
    region: { code: region, name: `${composite.name_zh}`, level: composite.region_level },
    composite,
    levelCount: Number(count?.n ?? 0),
    dimensions: dims
      .map((d) => ({
        code: d.dimension_code,
        name: `${d.name_zh} ${d.name_en}`,
        score: d,
        indicators: scores
          .filter((s) => s.dimension_code === d.dimension_code && wanted(s.indicator_code))
          .map(explained),
      }))
      .filter((d) => indicators.length === 0 || d.indicators.length > 0),
  };
}
