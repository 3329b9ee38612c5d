import { DOUBLE, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBConnection, type DuckDBType } from "@duckdb/node-api";
import {
  storedColumns,
  type FixedTexts,
  type RecordBatch,
  type RecordFeedSpec,
  type RecordValues,
} from "../../schemas/index.ts";
import { CHUNK_ROWS, copyColumn } from "../typed-chunk.ts";
import { literal, recordTable, sqlType } from "./record-table.ts";

/** The event time's year, `value` its staged text: the record's period (annual periods for now). */
function periodSql(spec: RecordFeedSpec, value: string): string {
  switch (spec.records.columns[spec.records.eventTime]?.type) {
    case "integer":
      return `CAST(CAST(${value} AS BIGINT) AS VARCHAR)`;
    case "timestamp":
      // A year ends at midnight in Zhejiang, not in UTC.
      return `strftime(timezone('Asia/Shanghai', CAST(${value} AS TIMESTAMPTZ)), '%Y')`;
    default:
      return `strftime(CAST(${value} AS DATE), '%Y')`;
  }
}

/**
 * How one stored column goes to the stage: numbers as doubles, texts with few distinct values as codes into a
 * dictionary, texts of one width (pseudonyms) as row numbers into their one string, other texts as text, an absent
 * column as nulls. The first three are typed arrays, copied into DuckDB's vectors a column at a time.
 */
type StagedColumn =
  | { kind: "number"; values: Float64Array; nulls: Uint8Array | undefined }
  | { kind: "coded"; values: Int32Array; nulls: Uint8Array | undefined; dictionary: string[] }
  | { kind: "fixed"; values: Int32Array; nulls: Uint8Array | undefined; texts: FixedTexts }
  | { kind: "text"; values: readonly (string | null)[] }
  | { kind: "absent" };

/**
 * A batch's text column is coded when it has at most this share of distinct values: a region, a date, an entity
 * type or an event kind repeats across the batch, an identifier's pseudonym does not. Coding stops as soon as the
 * dictionary grows past it, so a column of distinct values costs a few thousand lookups, not a batch's worth.
 */
const CODED_SHARE = 1 / 16;

/** Codes for `values` into a dictionary of their distinct texts, or undefined when there are too many. */
function coded(values: readonly (string | null)[], rows: number): StagedColumn | undefined {
  const most = Math.max(16, Math.floor(rows * CODED_SHARE));
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(rows);
  let nulls: Uint8Array | undefined;
  for (let i = 0; i < rows; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      (nulls ??= new Uint8Array(rows))[i] = 1;
      continue;
    }
    let code = index.get(v);
    if (code === undefined) {
      if (dictionary.length >= most) return undefined;
      code = dictionary.length;
      index.set(v, code);
      dictionary.push(v);
    }
    codes[i] = code;
  }
  return { kind: "coded", values: codes, nulls, dictionary };
}

let numbered = new Int32Array(0);

/** 0, 1, … rows - 1: a fixed column's row in its string. One array, grown when a batch is larger, shared by all. */
function rowNumbers(rows: number): Int32Array {
  if (numbered.length < rows) {
    numbered = new Int32Array(rows);
    for (let i = 0; i < rows; i++) numbered[i] = i;
  }
  return numbered.subarray(0, rows);
}

function staged(column: RecordValues | undefined, rows: number): StagedColumn {
  if (column === undefined) return { kind: "absent" };
  if (column.kind === "fixed") return { kind: "fixed", values: rowNumbers(rows), nulls: column.nulls, texts: column };
  if (column.kind === "text") return coded(column.values, rows) ?? { kind: "text", values: column.values };
  let nulls: Uint8Array | undefined;
  const values = column.values;
  for (let i = 0; i < rows; i++) if (Number.isNaN(values[i]!)) (nulls ??= new Uint8Array(rows))[i] = 1;
  return { kind: "number", values, nulls };
}

const STAGE_TYPE = { number: DOUBLE, coded: INTEGER, fixed: INTEGER, text: VARCHAR, absent: VARCHAR } as const;

/**
 * Appends one record batch to the feed's record table, inside the caller's transaction. Its columns go to a temp
 * stage as data chunks, and one INSERT casts them to the table's types. Numbers and lines are copied into DuckDB's
 * vectors a column at a time; texts that repeat go as integer codes, their dictionary once per batch (stage_dict),
 * and pseudonyms as their batch's one string (stage_fixed), cut into rows once in the INSERT; only other texts that
 * do not repeat are handed over value by value. At 10^6 registry events, writing every text value by value was a
 * quarter of ingest's thread.
 */
export async function appendRecords(
  connection: DuckDBConnection,
  spec: RecordFeedSpec,
  batch: RecordBatch,
  snapshot: number,
): Promise<void> {
  const stored = storedColumns(spec);
  const columns = stored.map(([name]) => staged(batch.columns[name], batch.rows));
  const types: DuckDBType[] = [...columns.map((c) => STAGE_TYPE[c.kind]), INTEGER];
  const defs = stored.map(([name], i) => `${name} ${types[i]!.toString()}`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_rec (${[...defs, "_line INTEGER"].join(", ")})`);
  await appendDictionaries(connection, columns);
  const appender = await connection.createAppender("stage_rec", "main", "temp");
  const validity = new BigUint64Array(CHUNK_ROWS / 64);
  try {
    for (let start = 0; start < batch.rows; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, batch.rows - start);
      const chunk = DuckDBDataChunk.create(types, n);
      columns.forEach((column, c) => {
        if (column.kind === "absent") chunk.setColumnValues(c, new Array<null>(n).fill(null));
        else if (column.kind === "text") {
          const values: (string | null)[] = new Array(n);
          for (let i = 0; i < n; i++) values[i] = column.values[start + i] ?? null;
          chunk.setColumnValues(c, values);
        } else copyColumn(chunk, c, column.values, start, n, column.nulls?.subarray(start, start + n), validity);
      });
      copyColumn(chunk, stored.length, batch.lines, start, n, undefined, validity);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  const names = stored.map(([name]) => name);
  // The texts as staged: a coded column's looked up in its dictionary (a list indexed by code, as the merge buffer's).
  const values = stored.map(([name], i) => {
    const column = columns[i]!;
    if (column.kind === "coded") return `d${i}.l[r.${name} + 1]`;
    if (column.kind === "fixed") return `f${i}.l[r.${name} + 1]`;
    return `r.${name}`;
  });
  const stagedText = (name: string) => values[names.indexOf(name)] ?? `r.${name}`;
  const casts = stored.map(([, c], i) => `CAST(${values[i]} AS ${sqlType(c)})`);
  const dictionaries = columns.flatMap((c, i) =>
    c.kind === "coded"
      ? [`(SELECT coalesce(list(s ORDER BY code), []) AS l FROM stage_dict WHERE col = ${i}) d${i}`]
      : c.kind === "fixed"
        ? // Cut into its rows once, as a list: substr on the batch's string scanned it from the start at every row
          // (10^4 rows: 0.9 s), regexp_extract_all cuts 65,536 rows in ~30 ms.
          [`(SELECT regexp_extract_all(s, '(?s).{${c.texts.width}}') AS l FROM stage_fixed WHERE col = ${i}) f${i}`]
        : [],
  );
  await connection.run(`INSERT INTO ${recordTable(spec.id)}
  (${[...names, "_region", "_period", "_vintage", "_source_uri", "_checksum", "_seq", "_line", "_snapshot"].join(", ")})
SELECT ${[...casts, stagedText(spec.records.region), periodSql(spec, stagedText(spec.records.eventTime))].join(", ")},
  CAST(${literal(batch.vintage)} AS TIMESTAMPTZ), ${literal(batch.uri)}, ${literal(batch.checksum)}, ${batch.seq}, r._line, ${snapshot}
FROM stage_rec r${dictionaries.map((d) => `, ${d}`).join("")}`);
}

/**
 * The coded columns' dictionaries, one row per distinct text (a few hundred rows a batch), and each fixed column's
 * one string; a table is made only when some column needs it.
 */
async function appendDictionaries(connection: DuckDBConnection, columns: readonly StagedColumn[]): Promise<void> {
  const rows = (kind: "coded" | "fixed") =>
    columns.flatMap((column, c): [number, number, string][] =>
      column.kind !== kind
        ? []
        : column.kind === "coded"
          ? column.dictionary.map((s, code) => [c, code, s])
          : [[c, 0, column.texts.text]],
    );
  for (const [table, kind] of [
    ["stage_dict", "coded"],
    ["stage_fixed", "fixed"],
  ] as const) {
    const given = rows(kind);
    if (given.length === 0) continue;
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${table} (col INTEGER, code INTEGER, s VARCHAR)`);
    const appender = await connection.createAppender(table, "main", "temp");
    try {
      for (const [c, code, s] of given) {
        appender.appendInteger(c);
        appender.appendInteger(code);
        appender.appendVarchar(s);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }
}
