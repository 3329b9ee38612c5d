import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { PipelineError } from "../runtime/errors.ts";
import { MIGRATIONS } from "./migrations/index.ts";

export interface Warehouse {
  readonly path: string;
  readonly connection: DuckDBConnection;
  close(): void;
}

/** Opens (or creates) the warehouse file and brings its schema to the newest version. */
export async function openWarehouse(path: string): Promise<Warehouse> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let instance: DuckDBInstance;
  try {
    // The instance cache lets evaluate share the loader's instance inside one process (DuckDB allows one writer process).
    instance = await DuckDBInstance.fromCache(path);
  } catch (cause) {
    throw new PipelineError(`cannot open the warehouse ${path} (is another gongfu process writing to it?)`, { cause });
  }
  const connection = await instance.connect();
  await migrate(connection);
  return { path, connection, close: () => connection.closeSync() };
}

/** Applies every migration newer than the file's version, each in its own transaction. */
export async function migrate(connection: DuckDBConnection): Promise<number> {
  await connection.run("CREATE TABLE IF NOT EXISTS _schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)");
  const rows = (await connection.runAndReadAll("SELECT coalesce(max(version), 0) AS v FROM _schema_migrations")).getRowObjects();
  const current = Number(rows[0]?.["v"] ?? 0);
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    await connection.run("BEGIN TRANSACTION");
    try {
      await connection.run(m.sql);
      await connection.run("INSERT INTO _schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      await connection.run("COMMIT");
    } catch (cause) {
      await connection.run("ROLLBACK");
      throw new PipelineError(`warehouse migration ${m.version} (${m.name}) failed`, { cause });
    }
  }
  return MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
}
