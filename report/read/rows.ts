// Rows of the eval_* tables, typed: each query names the columns it reads and their types, and every row is checked
// against them, so a renamed or retyped column fails here with its name instead of printing "undefined" in a report.
import type { DuckDBConnection } from "@duckdb/node-api";
import { DataError } from "../../runtime/errors.ts";

/**
 * What a column holds once DuckDB's JSON conversion has read it: `bigint` is a BIGINT or count(*), which arrives as
 * decimal text (JSON numbers cannot hold every BIGINT); timestamps are selected as text. A trailing `?`: may be null.
 */
type Kind = "text" | "number" | "flag" | "bigint";
export type ColumnSpec = Readonly<Record<string, Kind | `${Kind}?`>>;

type CellOf<K> = K extends `${infer B}?`
  ? CellOf<B> | null
  : K extends "number"
    ? number
    : K extends "flag"
      ? boolean
      : string;

/** One row as the query's spec declares it. */
export type RowOf<S extends ColumnSpec> = { readonly [C in keyof S]: CellOf<S[C]> };

const JS_TYPE: Readonly<Record<Kind, string>> = { text: "string", number: "number", flag: "boolean", bigint: "string" };

function check<S extends ColumnSpec>(row: Record<string, unknown>, spec: S, what: string): RowOf<S> {
  for (const [column, declared] of Object.entries(spec)) {
    const nullable = declared.endsWith("?");
    const kind = (nullable ? declared.slice(0, -1) : declared) as Kind;
    const value = row[column];
    if (value === null && nullable) continue;
    if (typeof value !== JS_TYPE[kind])
      throw new DataError(
        `${what}: column ${column} should be ${declared}, got ${value === null ? "null" : typeof value}`,
      );
  }
  // The row object itself, not a copy: JSON output keeps every column the query selected, in its order.
  return row as RowOf<S>;
}

/** Runs `sql` and checks each row against `spec`; `what` names the rows in an error (e.g. "eval_composite"). */
export async function readRows<S extends ColumnSpec>(
  connection: DuckDBConnection,
  what: string,
  spec: S,
  sql: string,
  params: readonly (string | number)[] = [],
): Promise<RowOf<S>[]> {
  const rows = (await connection.runAndReadAll(sql, [...params])).getRowObjectsJson();
  return rows.map((row) => check(row, spec, what));
}

/** A BIGINT cell as a number (counts and row totals stay far below 2^53). */
export const countOf = (cell: string | null): number | null => (cell === null ? null : Number(cell));
