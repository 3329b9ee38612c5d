// Writes a run's rows: old rows deleted and new ones appended in one transaction, so readers see one run or the other.
import {
  DuckDBDataChunk,
  DuckDBTimestampTZValue,
  DuckDBTypeId,
  ENUM,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from "@duckdb/node-api";
import { PipelineError } from "../../runtime/errors.ts";
import type { Cell, ColumnDef, Row, TableDef } from "./table-def.ts";
import type { TableLayout } from "./ensure-eval-tables.ts";

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

type Convert = (v: Cell) => DuckDBValue;

function converter(c: ColumnDef, table: string): Convert {
  const refuse = (v: Cell): never => {
    throw new PipelineError(`${table}.${c.name}: cannot store ${typeof v} ${String(v)} in a ${c.type} column`);
  };
  switch (c.type) {
    case "VARCHAR":
    case "JSON":
      return (v) => (v === null ? null : typeof v === "string" ? v : String(v));
    case "DOUBLE":
    case "INTEGER":
      return (v) => (v === null || typeof v === "number" ? v : refuse(v));
    case "BIGINT":
      return (v) => (v === null ? null : typeof v === "number" || typeof v === "bigint" ? BigInt(v) : refuse(v));
    case "BOOLEAN":
      return (v) => (v === null || typeof v === "boolean" ? v : refuse(v));
    case "UHUGEINT":
      return (v) => (v === null || typeof v === "bigint" ? v : refuse(v));
    case "TIMESTAMPTZ":
      // Instants are ISO strings from Date#toISOString: whole milliseconds, so the microseconds are exact.
      return (v) => {
        if (v === null) return null;
        const ms = typeof v === "string" ? Date.parse(v) : Number.NaN;
        return Number.isNaN(ms) ? refuse(v) : new DuckDBTimestampTZValue(BigInt(ms) * 1000n);
      };
  }
}

/**
 * A text column of a chunk as an ENUM of its distinct values: its items go to DuckDB as one array of small integers,
 * and the Appender casts them back to VARCHAR, instead of one native call per string. JSON stays text.
 */
function asEnum(type: DuckDBType, column: readonly DuckDBValue[]): DuckDBType {
  if (type.typeId !== DuckDBTypeId.VARCHAR || type.alias !== undefined) return type;
  const distinct = new Set<string>();
  for (const v of column) if (v !== null) distinct.add(v as string);
  // ENUM members are C strings: one holding NUL would be cut short, so such a column stays text.
  for (const v of distinct) if (v.includes("\0")) return type;
  return distinct.size === 0 ? type : ENUM([...distinct]);
}

async function appendRows(
  connection: DuckDBConnection,
  t: TableDef,
  columns: readonly string[],
  runId: string,
  rows: readonly Row[],
): Promise<void> {
  const defs = new Map(t.columns.map((c) => [c.name, c] as const));
  // run_id is the same on every row; a column this evaluator does not know stays NULL, as an INSERT naming only its own would leave it.
  const fill = columns.map((name): ((row: Row) => DuckDBValue) => {
    if (name === "run_id") return () => runId;
    const def = defs.get(name);
    if (def === undefined) return () => null;
    const convert = converter(def, t.name);
    return (row) => convert(row[name] ?? null);
  });
  const a = await connection.createAppender(t.name);
  try {
    if (a.columnCount !== columns.length)
      throw new PipelineError(
        `${t.name} has ${a.columnCount} columns, expected ${columns.length} (${columns.join(", ")}): its layout changed during the run`,
      );
    const types: DuckDBType[] = columns.map((_, k) => a.columnType(k));
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rows.length - start);
      const values = fill.map((f) => {
        const column = new Array<DuckDBValue>(n);
        for (let i = 0; i < n; i++) column[i] = f(rows[start + i]!);
        return column;
      });
      const chunk = DuckDBDataChunk.create(
        types.map((type, k) => asEnum(type, values[k]!)),
        n,
      );
      values.forEach((column, k) => chunk.setColumnValues(k, column));
      a.appendDataChunk(chunk);
    }
    a.flushSync();
  } finally {
    a.closeSync();
  }
}

/**
 * Replaces everything stored for `runId` in the given tables (their columns in `layout`, from ensureEvalTables) with
 * `rows`, and runs `inTransaction` (the eval_run update) in the same transaction, so readers see the old run or the
 * new one, never a mix.
 */
export async function replaceRunRows(
  connection: DuckDBConnection,
  runId: string,
  layout: TableLayout,
  rows: ReadonlyMap<TableDef, readonly Row[]>,
  inTransaction: () => Promise<void>,
): Promise<void> {
  await connection.run("BEGIN TRANSACTION");
  try {
    for (const [t, list] of rows) {
      await connection.run(`DELETE FROM ${t.name} WHERE run_id = $1`, [runId]);
      if (list.length > 0) await appendRows(connection, t, layout.get(t.name) ?? [], runId, list);
    }
    await inTransaction();
    await connection.run("COMMIT");
  } catch (cause) {
    await connection.run("ROLLBACK");
    throw new PipelineError(`writing the results of run ${runId} failed`, { cause });
  }
}
