// A deterministic warehouse with every kind of input the evaluator meets, and a canonical dump of a run's results.
import { createHash } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";

/** md5_number of the key, reduced to [0, 1): stable across DuckDB versions, unlike hash(). */
const noise = (key: string): string => `((md5_number(${key}) % 1000) / 1000.0)`;
const KEY = "i.code || '|' || r.code || '|' || p.period";

/**
 * Observations of every indicator, region and period of its frequency from 2019 to 2025, published 20 days after
 * the period ends, with about one in nine missing, the three derivable ratios reported only for some periods (the
 * rest are derived), one in five revised 70 days later (so an early as-of sees other numbers), and one in
 * thirteen loaded twice with the same vintage (a later ingestion wins the tie in obs_as_of).
 */
export async function fillPinnedWarehouse(connection: DuckDBConnection): Promise<void> {
  const base =
    `SELECT i.code AS indicator_code, r.code AS region_code, p.period, i.unit, p.end_date, ${KEY} AS k,
      CASE WHEN i.target_value > 0 THEN i.target_value * (0.55 + 0.6 * ${noise(KEY)}) ELSE 100 + 50 * ${noise(`${KEY} || 's'`)} END AS v
    FROM dim_indicator i, dim_region r, dim_period p
    WHERE p.frequency = i.frequency AND p.year BETWEEN 2019 AND 2025
      AND md5_number(${KEY} || 'gap') % 9 <> 0
      AND (i.code NOT IN ('urban_rural_income_ratio', 'city_income_max_min_ratio', ` +
    `'eco_county_income_ratio') OR md5_number(${KEY} || 'rep') % 3 = 0)`;
  await connection.run(`CREATE OR REPLACE TEMP TABLE pinned_base AS ${base}`);
  const insert = (select: string) =>
    connection.run(
      `INSERT INTO fact_observation (obs_key, indicator_code, region_code, period, value, unit, ` +
        `vintage, source_feed, source_uri, source_position, source_line, ingested_at)
      SELECT md5_number(k || '|' || tag), indicator_code, region_code, period, value, ` +
        `unit, vintage, 'pinned', 'pinned/' || tag || '.csv', 'line ' || line, line, ingested_at
      FROM (${select})`,
    );
  const published = "CAST(end_date AS TIMESTAMPTZ) + INTERVAL 20 DAY";
  await insert(
    `SELECT *, v AS value, ${published} AS vintage, 'first' AS tag, 1 AS line, TIMESTAMPTZ ` +
      `'2026-01-01 00:00:00+00' AS ingested_at FROM pinned_base`,
  );
  await insert(
    `SELECT *, v * (0.97 + 0.06 * ${noise("k || 'rev'")}) AS value, ${published} + INTERVAL ` +
      `70 DAY AS vintage, 'revised' AS tag, 2 AS line, TIMESTAMPTZ '2026-01-02 ` +
      `00:00:00+00' AS ingested_at
    FROM pinned_base WHERE md5_number(k || 'rev?') % 5 = 0`,
  );
  await insert(
    `SELECT *, v * 1.01 AS value, ${published} AS vintage, 'reloaded' AS tag, ` +
      `3 AS line, TIMESTAMPTZ '2026-01-03 00:00:00+00' AS ingested_at
    FROM pinned_base WHERE md5_number(k || 'tie?') % 13 = 0`,
  );
  await connection.run("DROP TABLE pinned_base");
}

const RESULT_TABLES = [
  "eval_indicator_score",
  "eval_observation_used",
  "eval_dimension_score",
  "eval_composite",
  "eval_disparity",
  "eval_ranking",
  "eval_sensitivity",
  "eval_weight",
];
/** Columns that record when or how a run went, not what it computed. */
const VOLATILE = new Set(["run_id", "started_at", "finished_at", "timings", "attempts", "trigger"]);

/** Every stored row of a run (eval_run and the result tables), volatile columns left out, as sorted JSON lines. */
export async function dumpRun(connection: DuckDBConnection, runId: string): Promise<string[]> {
  const lines: string[] = [];
  for (const table of ["eval_run", ...RESULT_TABLES]) {
    const rows = (
      await connection.runAndReadAll(`SELECT * FROM ${table} WHERE run_id = $1`, [runId])
    ).getRowObjectsJson();
    for (const row of rows)
      lines.push(
        `${table} ${JSON.stringify(Object.fromEntries(Object.entries(row).filter(([k]) => !VOLATILE.has(k))))}`,
      );
  }
  return lines.sort();
}

export const sha256 = (lines: readonly string[]): string => createHash("sha256").update(lines.join("\n")).digest("hex");
