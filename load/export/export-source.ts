import { existsSync } from "node:fs";
import { StatementType, type DuckDBConnection } from "@duckdb/node-api";
import { ConfigError, errorMessage } from "../../runtime/errors.ts";
import { openWarehouseReadOnly, type Warehouse } from "../warehouse.ts";
import { ident } from "./column-plan.ts";

export type SourceKind = "warehouse" | "bi.duckdb";

/**
 * The warehouse, read-only; while a loader holds it for writing, DuckDB refuses any other process, so the
 * Parquet lake's bi.duckdb (the same tables and views, as of the last export) answers instead.
 */
export async function openExportSource(
  warehousePath: string,
  biPath: string,
): Promise<{ db: Warehouse; kind: SourceKind; note?: string }> {
  try {
    return { db: await openWarehouseReadOnly(warehousePath), kind: "warehouse" };
  } catch (err) {
    const locked = /lock/i.test(errorMessage(err));
    if (!locked || !existsSync(biPath)) throw err;
    return {
      db: await openWarehouseReadOnly(biPath),
      kind: "bi.duckdb",
      note: "the warehouse is held by a running loader; reading the Parquet lake as of its last export",
    };
  }
}

/** Tables and views a user may export, by name. */
export async function exportableTables(connection: DuckDBConnection): Promise<string[]> {
  const rows = (
    await connection.runAndReadAll(`
      SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal AND NOT temporary
      UNION SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal AND NOT temporary
      ORDER BY name`)
  ).getRowObjects();
  return rows.map((r) => String(r["name"]));
}

/** A table name only ever reaches SQL if it is one of the catalog's tables, and then quoted. */
export async function selectForTable(connection: DuckDBConnection, table: string): Promise<string> {
  const tables = await exportableTables(connection);
  if (!tables.includes(table))
    throw new ConfigError(`--table ${JSON.stringify(table)} is not a table or view of the warehouse`, {
      hint: `one of: ${tables.join(", ")}`,
    });
  return `SELECT * FROM ${ident(table)}`;
}

/** --query must be one SELECT (or WITH … SELECT, VALUES, …): nothing that writes, and nothing after it. */
export async function selectForQuery(connection: DuckDBConnection, sql: string): Promise<string> {
  const statements = await connection.extractStatements(sql);
  if (statements.count !== 1) throw new ConfigError(`--query must be a single statement, not ${statements.count}`);
  let prepared: Awaited<ReturnType<typeof statements.prepare>>;
  try {
    prepared = await statements.prepare(0);
  } catch (cause) {
    throw new ConfigError(`--query does not run: ${errorMessage(cause).split("\n")[0]}`, { cause });
  }
  try {
    if (prepared.statementType !== StatementType.SELECT)
      throw new ConfigError("--query must be a SELECT; exports never change the warehouse");
    if (prepared.parameterCount > 0) throw new ConfigError("--query cannot have parameters ($1, ?)");
  } finally {
    prepared.destroySync();
  }
  return sql.trim().replace(/;\s*$/, "");
}
