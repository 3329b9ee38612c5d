// Creates the evaluation tables when missing and adds columns a newer evaluator introduced; safe to repeat.
import type { DuckDBConnection } from "@duckdb/node-api";
import { commentSql, createTableSql, type TableDef } from "./table-def.ts";
import { ALL_TABLES } from "./all-tables.ts";
import { WAREHOUSE } from "../../schemas/index.ts";

const LATEST_VIEW = `CREATE OR REPLACE VIEW ${WAREHOUSE.evalRunLatest} AS
SELECT * FROM ${WAREHOUSE.evalRun} WHERE status = 'succeeded'
QUALIFY row_number() OVER (PARTITION BY period ORDER BY as_of DESC, finished_at DESC, run_id) = 1`;
const LATEST_COMMENT = `COMMENT ON VIEW ${WAREHOUSE.evalRunLatest} IS '每个统计期最新的成功运行 / The latest successful run of each period'`;

/** Column names of each table, in the table's own order (the order an Appender fills them in). */
export type TableLayout = ReadonlyMap<string, readonly string[]>;

async function existingColumns(connection: DuckDBConnection): Promise<Map<string, string[]>> {
  const rows = (
    await connection.runAndReadAll(
      "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' AND " +
        "database_name = current_database() AND table_name LIKE 'eval_%' ORDER BY table_name, column_index",
    )
  ).getRows();
  const byTable = new Map<string, string[]>();
  for (const [table, column] of rows) {
    const list = byTable.get(String(table)) ?? [];
    list.push(String(column));
    byTable.set(String(table), list);
  }
  return byTable;
}

/** Creates `t` or adds the columns it lacks (at the end, where ALTER TABLE puts them); returns its column order. */
async function ensureTable(
  connection: DuckDBConnection,
  t: TableDef,
  have: readonly string[] | undefined,
): Promise<string[]> {
  if (have === undefined) {
    await connection.run(createTableSql(t));
    await connection.run(commentSql(t));
    return t.columns.map((c) => c.name);
  }
  const missing = t.columns.filter((c) => !have.includes(c.name));
  for (const c of missing) await connection.run(`ALTER TABLE ${t.name} ADD COLUMN ${c.name} ${c.type}`);
  if (missing.length > 0) await connection.run(commentSql(t));
  return [...have, ...missing.map((c) => c.name)];
}

/** Brings every eval_* table and the eval_run_latest view up to the current layout, and returns that layout. */
export async function ensureEvalTables(connection: DuckDBConnection): Promise<TableLayout> {
  const have = await existingColumns(connection);
  const complete = ALL_TABLES.every((t) => t.columns.every((c) => have.get(t.name)?.includes(c.name)));
  if (complete && have.has(WAREHOUSE.evalRunLatest)) return have;
  const layout = new Map<string, string[]>();
  for (const t of ALL_TABLES) layout.set(t.name, await ensureTable(connection, t, have.get(t.name)));
  await connection.run(LATEST_VIEW);
  await connection.run(LATEST_COMMENT);
  return layout;
}
