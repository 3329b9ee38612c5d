import { existsSync, rmSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { PipelineError } from "../runtime/errors.ts";
import { publishFile, tempPathFor } from "./atomic-file.ts";
import { biDatabaseSql, type BiDefinition } from "./bi-views.ts";
import { FACT_TABLE, LAKE_FILE_TABLES } from "./lake-layout.ts";
import { WAREHOUSE } from "../schemas/index.ts";

const COMMENTED = [...LAKE_FILE_TABLES, FACT_TABLE, WAREHOUSE.obsLatest, WAREHOUSE.obsWide];

/** Reads from the warehouse what bi.duckdb repeats: fact columns, the obs_wide definition and every comment. */
export async function readBiDefinition(connection: DuckDBConnection, lakeRef: string): Promise<BiDefinition> {
  const rows = async (sql: string, params: string[] = []) =>
    (await connection.runAndReadAll(sql, params)).getRowObjects();
  const wide = await rows(
    `SELECT sql FROM duckdb_views() WHERE schema_name = 'main' AND view_name = '${WAREHOUSE.obsWide}'`,
  );
  const tableComments = new Map<string, string>();
  const listed = COMMENTED.map((t) => `'${t}'`).join(", ");
  const objects = await rows(
    `
    SELECT table_name AS name, comment FROM duckdb_tables() WHERE schema_name = 'main' AND comment IS NOT NULL AND table_name IN (${listed})
    UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE schema_name = 'main' ` +
      `AND comment IS NOT NULL AND view_name IN (${listed})`,
  );
  for (const r of objects) tableComments.set(String(r["name"]), String(r["comment"]));
  const columnComments = new Map<string, Map<string, string>>();
  for (const r of await rows(
    `SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = 'main' ` +
      `AND comment IS NOT NULL AND table_name IN (${listed}) ORDER BY table_name, column_index`,
  )) {
    const table = String(r["table_name"]);
    const byColumn = columnComments.get(table) ?? new Map<string, string>();
    byColumn.set(String(r["column_name"]), String(r["comment"]));
    columnComments.set(table, byColumn);
  }
  return {
    lakeRef,
    wideViewSql: wide[0] ? String(wide[0]["sql"]) : undefined,
    tableComments,
    columnComments,
  };
}

/**
 * Writes bi.duckdb afresh under a temporary name, checks that the new file opens and holds every view, then renames
 * it over the old one; on any failure (a full disk, say) the previous file stays. The loader never opens the
 * published file, so BI tools can hold it open read-only. Its views read lake paths at each query, so a connection
 * held open sees new data; one opened on a replaced file keeps its views, which name the same paths.
 */
export async function writeBiDatabase(biPath: string, definition: BiDefinition): Promise<void> {
  // Views are bound when created: a relative lake path is found from bi.duckdb's folder, as a reader there would.
  const search = isAbsolute(definition.lakeRef)
    ? ""
    : `SET file_search_path = '${dirname(resolve(biPath)).replaceAll("'", "''")}';\n`;
  const temp = tempPathFor(biPath);
  const removeTemp = () => {
    rmSync(temp, { force: true });
    rmSync(`${temp}.wal`, { force: true });
  };
  try {
    const instance = await DuckDBInstance.create(temp);
    const connection = await instance.connect();
    try {
      await connection.run(search + biDatabaseSql(definition));
      await connection.run("CHECKPOINT");
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    if (existsSync(`${temp}.wal`)) throw new PipelineError(`${temp}.wal is left after a checkpoint`);
    await checkBiFile(temp);
    publishFile(temp, biPath);
  } catch (cause) {
    removeTemp();
    throw new PipelineError(`writing ${biPath} failed`, { cause });
  }
}

/** Opens a written bi.duckdb read-only, as a BI tool would, and lists its views: a torn file fails here. */
async function checkBiFile(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT count(*)::INTEGER AS n FROM duckdb_views() WHERE NOT internal AND view_name = '${FACT_TABLE}'`,
      );
      if (reader.getRowObjects()[0]?.["n"] !== 1) throw new PipelineError(`${path} lacks the ${FACT_TABLE} view`);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
