// Runs bench/sql-baseline.sql (the hand-written DuckDB normalisation gongfu is measured against) on one CSV.
import { readFileSync } from "node:fs";
import type { DuckDBConnection } from "@duckdb/node-api";
import { WAREHOUSE, CATALOG_DIR, UNITS } from "../schemas/index.ts";

const SQL = readFileSync(new URL("./sql-baseline.sql", import.meta.url), "utf8");

export interface SqlBaselineOptions {
  /** The long-layout CSV (地区代码,指标,时期,数值,单位). */
  inputCsv: string;
  /** The catalog CSVs; default: the shipped catalog. */
  catalogDir?: string;
  /** Stored with every row; default: the bench feed's id. */
  sourceFeed?: string;
}

export interface SqlBaselineResult {
  /** Rows of this file now in fact_observation. */
  facts: number;
  /** Rows of this file now in quarantine. */
  quarantined: number;
}

/** A SQL string literal. */
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * The unit registry as a table, the one input a data engineer would export from code rather than read from a CSV:
 * 30-odd rows of code, names, dimension, factor and aliases.
 */
function unitRegistryTable(): string {
  const rows = UNITS.map(
    (u) =>
      `(${[u.code, u.nameZh, u.nameEn, u.dimension].map(literal).join(", ")}, ${u.factor}, ` +
      `[${u.aliases.map(literal).join(", ")}]::VARCHAR[])`,
  );
  return `CREATE OR REPLACE TEMP TABLE unit_registry AS
SELECT * FROM (VALUES ${rows.join(",\n  ")}) AS t(code, name_zh, name_en, dimension, factor, aliases);`;
}

/** Normalises `inputCsv` into the connection's database: good rows into fact_observation, bad into quarantine. */
export async function runSqlBaseline(
  connection: DuckDBConnection,
  options: SqlBaselineOptions,
): Promise<SqlBaselineResult> {
  const catalogDir = (options.catalogDir ?? CATALOG_DIR).replace(/\/$/, "");
  await connection.run(
    [
      `SET VARIABLE input_csv = ${literal(options.inputCsv)};`,
      `SET VARIABLE catalog_dir = ${literal(catalogDir)};`,
      `SET VARIABLE source_feed = ${literal(options.sourceFeed ?? "bench-long")};`,
      unitRegistryTable(),
    ].join("\n"),
  );
  await connection.run(SQL);
  const counts = await connection.runAndReadAll(
    `SELECT (SELECT count(*) FROM ${WAREHOUSE.factObservation} WHERE source_uri = $uri) AS facts,
            (SELECT count(*) FROM ${WAREHOUSE.quarantine} WHERE source_uri = $uri) AS quarantined`,
    { uri: options.inputCsv },
  );
  const row = counts.getRowObjects()[0] ?? {};
  return { facts: Number(row["facts"]), quarantined: Number(row["quarantined"]) };
}
