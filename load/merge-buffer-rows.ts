import type { DuckDBConnection } from "@duckdb/node-api";
import type { DeadLetter } from "../schemas/index.ts";
import { formatPosition } from "../schemas/index.ts";
import type { ObservationList } from "./observation-list.ts";
import type { BufferedLines } from "./buffered-lines.ts";
import type { DistinctPositions } from "./distinct-positions.ts";
import type { SourceDictionary } from "./source-dictionary.ts";
import type { StringDictionary } from "./string-dictionary.ts";
import { CHUNK_ROWS, TypedColumns, type TypedKind } from "./typed-chunk.ts";

export type { ObservationRow } from "./observation-list.ts";

export interface DeadLetterRow {
  letter: DeadLetter;
  topic?: string;
  partition?: number;
  offset?: string;
}

/**
 * Session-local merge buffer tables. Observation strings are ids into `buffer_dict` (see string-dictionary.ts); offsets
 * are DOUBLE (exact below 2^53) so no BigInt is made per row; `seq` keeps delivery order so the first delivery of a
 * duplicate wins. They live until the merge that empties them commits.
 */
const BUFFER_TABLES_SQL = `
CREATE TEMP TABLE IF NOT EXISTS buffer_dict (id INTEGER, s VARCHAR);
CREATE TEMP TABLE IF NOT EXISTS buffer_src (
  src_id INTEGER, feed INTEGER, uri INTEGER, kafka_topic INTEGER, kafka_partition INTEGER, kafka_offset DOUBLE,
  ingested_at INTEGER);
CREATE TEMP TABLE IF NOT EXISTS buffer_obs (
  seq INTEGER, indicator INTEGER, region INTEGER, period INTEGER, value DOUBLE, unit INTEGER, vintage INTEGER,
  src INTEGER, pos_line INTEGER, pos_sheet INTEGER, pos_row INTEGER, pos_offset DOUBLE, pos_column INTEGER);
CREATE TEMP TABLE IF NOT EXISTS buffer_dl (
  seq INTEGER, stage VARCHAR, feed VARCHAR, source_uri VARCHAR, source_position VARCHAR, reason_codes VARCHAR, reasons VARCHAR,
  payload VARCHAR, failed_at VARCHAR, kafka_topic VARCHAR, kafka_partition INTEGER, kafka_offset BIGINT);`;

/**
 * Empties the merge buffer by recreating its tables: DuckDB keeps deleted rows' storage until a checkpoint, and temporary
 * tables are never checkpointed, so DELETE let the buffer (and each scan of it) grow with every row ever buffered.
 */
export const CLEAR_BUFFER_SQL = `DROP TABLE IF EXISTS temp.buffer_dict; DROP TABLE IF EXISTS temp.buffer_src;
DROP TABLE IF EXISTS temp.buffer_obs; DROP TABLE IF EXISTS temp.buffer_dl;${BUFFER_TABLES_SQL}`;

/** buffer_obs's columns in order: seq, the five text ids and the value, the source tuple, the five position parts. */
const OBS_COLUMNS = [
  "seq",
  "indicator",
  "region",
  "period",
  "value",
  "unit",
  "vintage",
  "src",
  "pos_line",
  "pos_sheet",
  "pos_row",
  "pos_offset",
  "pos_column",
] as const;
/** The value and the offset are DOUBLE (an offset is exact below 2^53, with no BigInt per row); the rest INTEGER. */
const OBS_KINDS: readonly TypedKind[] = OBS_COLUMNS.map((c) =>
  c === "value" || c === "pos_offset" ? "double" : "integer",
);

/** Chunks appended between two turns of the event loop (4,096 rows, about a millisecond). */
const YIELD_CHUNKS = 2;
const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Appends observations to `buffer_obs` as data chunks of integer and double columns (filled in typed arrays, one copy
 * per column and chunk: typed-chunk.ts), and the strings they introduced to `buffer_dict`. `positions` and `lines`
 * see every chunk, to tell the merge whether two buffered rows can share a key and which lines each file holds.
 */
export async function appendObservations(
  connection: DuckDBConnection,
  rows: ObservationList,
  dict: StringDictionary,
  sources: SourceDictionary,
  firstSeq: number,
  positions: DistinctPositions,
  lines: BufferedLines,
): Promise<void> {
  const a = await connection.createAppender("buffer_obs", "main", "temp");
  const fileOf = (src: number) => sources.fileOf(src);
  try {
    const cols = new TypedColumns(OBS_KINDS);
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rows.length - start);
      cols.clear();
      rows.fill(cols, start, n, dict, sources, firstSeq + start);
      positions.check(cols, n, fileOf);
      lines.check(cols, n, fileOf);
      a.appendDataChunk(cols.toChunk(n));
      // A turn of the event loop now and then, so a merge running on the other buffer's connection goes on to its
      // next statement instead of waiting for the whole delivery to be appended (merge-pipeline.ts).
      if ((start / CHUNK_ROWS) % YIELD_CHUNKS === YIELD_CHUNKS - 1) await yieldTurn();
    }
    a.flushSync();
  } finally {
    a.closeSync();
  }
  await appendSources(connection, sources);
  await appendDictionary(connection, dict);
}

async function appendSources(connection: DuckDBConnection, sources: SourceDictionary): Promise<void> {
  const fresh = sources.takeNew();
  if (fresh.length === 0) return;
  const a = await connection.createAppender("buffer_src", "main", "temp");
  const optional = (v: number | null, append: (v: number) => void) => (v === null ? a.appendNull() : append(v));
  try {
    for (const t of fresh) {
      a.appendInteger(t.id);
      for (const v of [t.feed, t.uri, t.topic, t.partition]) optional(v, (x) => a.appendInteger(x));
      optional(t.offset, (x) => a.appendDouble(x));
      optional(t.ingestedAt, (x) => a.appendInteger(x));
      a.endRow();
    }
    a.flushSync();
  } finally {
    a.closeSync();
  }
}

async function appendDictionary(connection: DuckDBConnection, dict: StringDictionary): Promise<void> {
  const fresh = dict.takeNew();
  if (fresh.length === 0) return;
  const a = await connection.createAppender("buffer_dict", "main", "temp");
  try {
    for (const [id, s] of fresh) {
      a.appendInteger(id);
      a.appendVarchar(s);
      a.endRow();
    }
    a.flushSync();
  } finally {
    a.closeSync();
  }
}

/**
 * JSON text DuckDB's JSON type accepts: JSON.stringify escapes a lone surrogate (from a damaged source) as \udXXX,
 * which DuckDB rejects, failing the batch on every retry; it becomes U+FFFD. An escaped backslash before `u` is left.
 */
export function wellFormedJson(value: unknown): string {
  return JSON.stringify(value).replace(/(\\+)u(d[89a-f][0-9a-f]{2})/g, (m, slashes: string) =>
    slashes.length % 2 === 1 ? `${slashes.slice(1)}\\ufffd` : m,
  );
}

/** Appends dead letters to `buffer_dl` (few per batch: the row-at-a-time Appender is fine here). */
export async function appendDeadLetters(
  connection: DuckDBConnection,
  rows: readonly DeadLetterRow[],
  firstSeq: number,
): Promise<void> {
  const a = await connection.createAppender("buffer_dl", "main", "temp");
  try {
    rows.forEach(({ letter: d, topic, partition, offset }, i) => {
      a.appendInteger(firstSeq + i);
      a.appendVarchar(d.stage);
      a.appendVarchar(d.feed);
      a.appendVarchar(d.source.uri);
      a.appendVarchar(formatPosition(d.source.position));
      a.appendVarchar([...new Set(d.reasons.map((r) => r.code))].join(","));
      a.appendVarchar(wellFormedJson(d.reasons));
      a.appendVarchar(wellFormedJson(d.payload ?? null));
      a.appendVarchar(d.at);
      if (topic === undefined) a.appendNull();
      else a.appendVarchar(topic);
      if (partition === undefined) a.appendNull();
      else a.appendInteger(partition);
      if (offset === undefined) a.appendNull();
      else a.appendBigInt(BigInt(offset));
      a.endRow();
    });
    a.flushSync();
  } finally {
    a.closeSync();
  }
}
