import type { DuckDBConnection } from "@duckdb/node-api";
import { formatPosition, type DeadLetter, type Observation } from "../schemas/index.ts";

/** A decoded observation with where it came from on the bus. */
export interface ObservationRow {
  observation: Observation;
  topic?: string;
  partition?: number;
  offset?: string;
}

export interface DeadLetterRow {
  letter: DeadLetter;
  topic?: string;
  partition?: number;
  offset?: string;
}

/** Session-local staging tables; `seq` keeps delivery order so the first delivery of a duplicate wins. */
export const STAGE_TABLES_SQL = `
CREATE TEMP TABLE IF NOT EXISTS stage_obs (
  seq INTEGER, indicator_code VARCHAR, region_code VARCHAR, period VARCHAR, value DOUBLE, unit VARCHAR, vintage VARCHAR,
  source_feed VARCHAR, source_uri VARCHAR, source_position VARCHAR, source_line INTEGER, source_sheet VARCHAR,
  source_row INTEGER, source_column VARCHAR, kafka_topic VARCHAR, kafka_partition INTEGER, kafka_offset BIGINT, ingested_at VARCHAR);
CREATE TEMP TABLE IF NOT EXISTS stage_dl (
  seq INTEGER, stage VARCHAR, feed VARCHAR, source_uri VARCHAR, source_position VARCHAR, reason_codes VARCHAR, reasons VARCHAR,
  payload VARCHAR, failed_at VARCHAR, kafka_topic VARCHAR, kafka_partition INTEGER, kafka_offset BIGINT);
DELETE FROM stage_obs;
DELETE FROM stage_dl;`;

interface Appender {
  appendVarchar(v: string): void;
  appendInteger(v: number): void;
  appendBigInt(v: bigint): void;
  appendNull(): void;
}

function varcharOrNull(a: Appender, v: string | undefined): void {
  if (v === undefined) a.appendNull();
  else a.appendVarchar(v);
}

function integerOrNull(a: Appender, v: number | undefined): void {
  if (v === undefined) a.appendNull();
  else a.appendInteger(v);
}

function busPosition(a: Appender, topic: string | undefined, partition: number | undefined, offset: string | undefined): void {
  varcharOrNull(a, topic);
  integerOrNull(a, partition);
  if (offset === undefined) a.appendNull();
  else a.appendBigInt(BigInt(offset));
}

/** Appends observations to `stage_obs` through the DuckDB Appender (far faster than INSERTs). */
export async function appendObservations(connection: DuckDBConnection, rows: readonly ObservationRow[]): Promise<void> {
  const a = await connection.createAppender("stage_obs", "main", "temp");
  try {
    rows.forEach(({ observation: o, topic, partition, offset }, seq) => {
      const p = o.source.position;
      a.appendInteger(seq);
      a.appendVarchar(o.indicator);
      a.appendVarchar(o.region);
      a.appendVarchar(o.period);
      a.appendDouble(o.value);
      a.appendVarchar(o.unit);
      a.appendVarchar(o.vintage);
      a.appendVarchar(o.source.feed);
      a.appendVarchar(o.source.uri);
      a.appendVarchar(formatPosition(p));
      integerOrNull(a, p.line);
      varcharOrNull(a, p.sheet);
      integerOrNull(a, p.row);
      varcharOrNull(a, p.column);
      busPosition(a, topic, partition, offset);
      a.appendVarchar(o.ingestedAt);
      a.endRow();
    });
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
  return JSON.stringify(value).replace(/(\\+)u(d[89a-f][0-9a-f]{2})/g, (m, slashes: string) => (slashes.length % 2 === 1 ? `${slashes.slice(1)}\\ufffd` : m));
}

/** Appends dead letters to `stage_dl`. */
export async function appendDeadLetters(connection: DuckDBConnection, rows: readonly DeadLetterRow[]): Promise<void> {
  const a = await connection.createAppender("stage_dl", "main", "temp");
  try {
    rows.forEach(({ letter: d, topic, partition, offset }, seq) => {
      a.appendInteger(seq);
      a.appendVarchar(d.stage);
      a.appendVarchar(d.feed);
      a.appendVarchar(d.source.uri);
      a.appendVarchar(formatPosition(d.source.position));
      a.appendVarchar([...new Set(d.reasons.map((r) => r.code))].join(","));
      a.appendVarchar(wellFormedJson(d.reasons));
      a.appendVarchar(wellFormedJson(d.payload ?? null));
      a.appendVarchar(d.at);
      busPosition(a, topic, partition, offset);
      a.endRow();
    });
    a.flushSync();
  } finally {
    a.closeSync();
  }
}
