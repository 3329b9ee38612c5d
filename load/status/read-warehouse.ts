import { existsSync } from "node:fs";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { errorMessage } from "../../runtime/errors.ts";

export type WarehouseState = "ok" | "missing" | "locked" | "error";

/**
 * Opens the warehouse read-only for a look (status, health) and closes it again. DuckDB admits one writing
 * process: while a loader holds the file, the answer is `locked`, never a crash.
 */
export async function readWarehouse<T>(
  path: string,
  fn: (connection: DuckDBConnection) => Promise<T>,
): Promise<{ state: WarehouseState; message?: string; value?: T }> {
  if (!existsSync(path))
    return { state: "missing", message: `no warehouse at ${path} yet (run gongfu run or gongfu load first)` };
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  } catch (err) {
    const message = errorMessage(err);
    return /lock/i.test(message)
      ? {
          state: "locked",
          message: `the warehouse is held by another process (a running load?): ${message.split("\n")[0]}`,
        }
      : { state: "error", message };
  }
  const connection = await instance.connect();
  try {
    return { state: "ok", value: await fn(connection) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Rows as plain objects with JSON-friendly values (bigints as numbers). */
export async function rowsOf(
  connection: DuckDBConnection,
  sql: string,
  params: (string | number)[] = [],
): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql, params)).getRowObjectsJson() as Record<string, unknown>[];
}

export async function tableExists(connection: DuckDBConnection, table: string): Promise<boolean> {
  const rows = await rowsOf(
    connection,
    `SELECT 1 FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = $1
     UNION ALL SELECT 1 FROM duckdb_views() WHERE schema_name = 'main' AND view_name = $1`,
    [table],
  );
  return rows.length > 0;
}
