// Creates the evaluation tables when missing and adds columns a newer evaluator introduced; safe to repeat.
import type { DuckDBConnection } from "@duckdb/node-api";
import { commentSql, createTableSql, type TableDef } from "./table-def.ts";
import { ALL_TABLES } from "./all-tables.ts";

const LATEST_VIEW = `CREATE OR REPLACE VIEW eval_run_latest AS
SELECT * FROM eval_run WHERE status = 'succeeded'
QUALIFY row_number() OVER (PARTITION BY period ORDER BY as_of DESC, finished_at DESC, run_id) = 1`;
const LATEST_COMMENT = "COMMENT ON VIEW eval_run_latest IS '每个统计期最新的成功运行 / The latest successful run of each period'";

async function existingColumns(connection: DuckDBConnection): Promise<Map<string, Set<string>>> {
  const rows = (await connection.runAndReadAll(
    "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' AND database_name = current_database() AND table_name LIKE 'eval_%'",
  )).getRows();
  const byTable = new Map<string, Set<string>>();
  for (const [table, column] of rows) {
    const set = byTable.get(String(table)) ?? new Set<string>();
    set.add(String(column));
    byTable.set(String(table), set);
  }
  return byTable;
}

async function ensureTable(connection: DuckDBConnection, t: TableDef, have: Set<string> | undefined): Promise<void> {
  if (have === undefined) {
    await connection.run(createTableSql(t));
    await connection.run(commentSql(t));
    return;
  }
  const missing = t.columns.filter((c) => !have.has(c.name));
  for (const c of missing) await connection.run(`ALTER TABLE ${t.name} ADD COLUMN ${c.name} ${c.type}`);
  if (missing.length > 0) await connection.run(commentSql(t));
}

/** Brings every eval_* table and the eval_run_latest view up to the current layout. */
export async function ensureEvalTables(connection: DuckDBConnection): Promise<void> {
  const have = await existingColumns(connection);
  const complete = ALL_TABLES.every((t) => t.columns.every((c) => have.get(t.name)?.has(c.name)));
  if (complete && have.has("eval_run_latest")) return;
  for (const t of ALL_TABLES) await ensureTable(connection, t, have.get(t.name));
  await connection.run(LATEST_VIEW);
  await connection.run(LATEST_COMMENT);
}
