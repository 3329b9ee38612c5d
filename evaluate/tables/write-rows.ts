// Writes a run's rows: appended into session-local staging tables, then swapped in with one transaction.
import type { DuckDBAppender, DuckDBConnection } from "@duckdb/node-api";
import { PipelineError } from "../../runtime/errors.ts";
import { stagingType, type Cell, type ColumnDef, type Row, type TableDef } from "./table-def.ts";

const stageName = (t: TableDef): string => `stage_${t.name}`;
// run_id is the same on every row, so it is not staged cell by cell but added by the final INSERT.
const staged = (t: TableDef): readonly ColumnDef[] => t.columns.filter((c) => c.name !== "run_id");

function appendCell(a: DuckDBAppender, c: ColumnDef, v: Cell | undefined, table: string): void {
  if (v === null || v === undefined) return a.appendNull();
  const type = stagingType(c.type);
  if (type === "VARCHAR") return a.appendVarchar(typeof v === "string" ? v : String(v));
  if (type === "DOUBLE" && typeof v === "number") return a.appendDouble(v);
  if (type === "INTEGER" && typeof v === "number") return a.appendInteger(v);
  if (type === "BIGINT" && (typeof v === "number" || typeof v === "bigint")) return a.appendBigInt(BigInt(v));
  if (type === "BOOLEAN" && typeof v === "boolean") return a.appendBoolean(v);
  if (type === "UHUGEINT" && typeof v === "bigint") return a.appendUHugeInt(v);
  throw new PipelineError(`${table}.${c.name}: cannot store ${typeof v} ${String(v)} in a ${c.type} column`);
}

async function stage(connection: DuckDBConnection, t: TableDef, rows: readonly Row[]): Promise<void> {
  const cols = staged(t).map((c) => `${c.name} ${stagingType(c.type)}`).join(", ");
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${stageName(t)} (${cols})`);
  if (rows.length === 0) return;
  const a = await connection.createAppender(stageName(t), "main", "temp");
  try {
    for (const row of rows) {
      for (const c of staged(t)) appendCell(a, c, row[c.name], t.name);
      a.endRow();
    }
    a.flushSync();
  } finally {
    a.closeSync();
  }
}

/**
 * Replaces everything stored for `runId` in the given tables with `rows`, and runs `inTransaction` (the eval_run
 * update) in the same transaction, so readers see the old run or the new one, never a mix.
 */
export async function replaceRunRows(
  connection: DuckDBConnection,
  runId: string,
  rows: ReadonlyMap<TableDef, readonly Row[]>,
  inTransaction: () => Promise<void>,
): Promise<void> {
  for (const [t, list] of rows) await stage(connection, t, list);
  await connection.run("BEGIN TRANSACTION");
  try {
    for (const [t] of rows) {
      await connection.run(`DELETE FROM ${t.name} WHERE run_id = $1`, [runId]);
      await connection.run(`INSERT INTO ${t.name} (run_id, ${staged(t).map((c) => c.name).join(", ")}) SELECT CAST($1 AS VARCHAR), * FROM ${stageName(t)}`, [runId]);
    }
    await inTransaction();
    await connection.run("COMMIT");
  } catch (cause) {
    await connection.run("ROLLBACK");
    throw new PipelineError(`writing the results of run ${runId} failed`, { cause });
  } finally {
    for (const [t] of rows) await connection.run(`DROP TABLE IF EXISTS ${stageName(t)}`);
  }
}
