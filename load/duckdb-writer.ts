import type { DuckDBConnection } from "@duckdb/node-api";
import type { PartitionPosition } from "../bus/index.ts";
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

const STAGE_OBS = `CREATE TEMP TABLE IF NOT EXISTS stage_obs (
  indicator_code VARCHAR, region_code VARCHAR, period VARCHAR, value DOUBLE, unit VARCHAR, vintage VARCHAR,
  source_feed VARCHAR, source_uri VARCHAR, source_position VARCHAR, source_line INTEGER, source_sheet VARCHAR,
  source_row INTEGER, source_column VARCHAR, kafka_topic VARCHAR, kafka_partition INTEGER, kafka_offset BIGINT, ingested_at VARCHAR)`;

const STAGE_DL = `CREATE TEMP TABLE IF NOT EXISTS stage_dl (
  stage VARCHAR, feed VARCHAR, source_uri VARCHAR, source_position VARCHAR, reason_codes VARCHAR, reasons VARCHAR,
  payload VARCHAR, failed_at VARCHAR, kafka_topic VARCHAR, kafka_partition INTEGER, kafka_offset BIGINT)`;

/** The same cell, vintage and source position is the same observation, however often it is delivered. */
const MERGE_OBS = `INSERT OR IGNORE INTO fact_observation
  (obs_key, indicator_code, region_code, period, value, unit, vintage, source_feed, source_uri, source_position, source_line, source_sheet, source_row, source_column, kafka_topic, kafka_partition, kafka_offset, ingested_at)
SELECT md5_number(concat_ws('|', indicator_code, region_code, period, vintage, source_feed, source_uri, source_position)),
  indicator_code, region_code, period, value, unit, CAST(vintage AS TIMESTAMPTZ), source_feed, source_uri, source_position, source_line, source_sheet, source_row, source_column,
  kafka_topic, kafka_partition, kafka_offset, CAST(ingested_at AS TIMESTAMPTZ)
FROM stage_obs
QUALIFY row_number() OVER (PARTITION BY indicator_code, region_code, period, vintage, source_feed, source_uri, source_position) = 1`;

const MERGE_DL = `INSERT OR IGNORE INTO quarantine
  (dl_key, stage, feed, source_uri, source_position, reason_codes, reasons, payload, failed_at, kafka_topic, kafka_partition, kafka_offset)
SELECT md5_number(concat_ws('|', stage, feed, source_uri, source_position, reasons)),
  stage, feed, source_uri, source_position, reason_codes, CAST(reasons AS JSON), CAST(payload AS JSON), CAST(failed_at AS TIMESTAMPTZ), kafka_topic, kafka_partition, kafka_offset
FROM stage_dl
QUALIFY row_number() OVER (PARTITION BY stage, feed, source_uri, source_position, reasons) = 1`;

export interface WriteResult {
  observations: number;
  deadLetters: number;
}

/**
 * Writes one batch: rows go through the Appender into session-local staging tables, then one transaction
 * merges them (ignoring re-deliveries) and stores the consumer positions, so rows and positions commit together.
 */
export async function writeBatch(connection: DuckDBConnection, groupId: string, observations: ObservationRow[], deadLetters: DeadLetterRow[], positions: PartitionPosition[]): Promise<WriteResult> {
  await connection.run(STAGE_OBS);
  await connection.run(STAGE_DL);
  await connection.run("DELETE FROM stage_obs; DELETE FROM stage_dl;");
  if (observations.length > 0) await appendObservations(connection, observations);
  if (deadLetters.length > 0) await appendDeadLetters(connection, deadLetters);
  await connection.run("BEGIN TRANSACTION");
  try {
    const before = await counts(connection);
    if (observations.length > 0) await connection.run(MERGE_OBS);
    if (deadLetters.length > 0) await connection.run(MERGE_DL);
    for (const p of positions) {
      await connection.run(
        "INSERT OR REPLACE INTO _kafka_offsets (consumer_group, topic, partition, next_offset, updated_at) VALUES ($1, $2, $3, $4, current_timestamp)",
        [groupId, p.topic, p.partition, BigInt(p.offset)],
      );
    }
    const after = await counts(connection);
    await connection.run("COMMIT");
    return { observations: after.obs - before.obs, deadLetters: after.dl - before.dl };
  } catch (err) {
    await connection.run("ROLLBACK");
    throw err;
  }
}

async function counts(connection: DuckDBConnection): Promise<{ obs: number; dl: number }> {
  const row = (await connection.runAndReadAll("SELECT (SELECT count(*) FROM fact_observation) AS obs, (SELECT count(*) FROM quarantine) AS dl")).getRowObjects()[0]!;
  return { obs: Number(row["obs"]), dl: Number(row["dl"]) };
}

function varcharOrNull(appender: { appendVarchar(v: string): void; appendNull(): void }, v: string | undefined): void {
  if (v === undefined) appender.appendNull();
  else appender.appendVarchar(v);
}

async function appendObservations(connection: DuckDBConnection, rows: ObservationRow[]): Promise<void> {
  const a = await connection.createAppender("stage_obs", "main", "temp");
  try {
    for (const { observation: o, topic, partition, offset } of rows) {
      const p = o.source.position;
      a.appendVarchar(o.indicator);
      a.appendVarchar(o.region);
      a.appendVarchar(o.period);
      a.appendDouble(o.value);
      a.appendVarchar(o.unit);
      a.appendVarchar(o.vintage);
      a.appendVarchar(o.source.feed);
      a.appendVarchar(o.source.uri);
      a.appendVarchar(formatPosition(p));
      if (p.line === undefined) a.appendNull(); else a.appendInteger(p.line);
      varcharOrNull(a, p.sheet);
      if (p.row === undefined) a.appendNull(); else a.appendInteger(p.row);
      varcharOrNull(a, p.column);
      varcharOrNull(a, topic);
      if (partition === undefined) a.appendNull(); else a.appendInteger(partition);
      if (offset === undefined) a.appendNull(); else a.appendBigInt(BigInt(offset));
      a.appendVarchar(o.ingestedAt);
      a.endRow();
    }
    a.flushSync();
  } finally {
    a.closeSync();
  }
}

async function appendDeadLetters(connection: DuckDBConnection, rows: DeadLetterRow[]): Promise<void> {
  const a = await connection.createAppender("stage_dl", "main", "temp");
  try {
    for (const { letter: d, topic, partition, offset } of rows) {
      a.appendVarchar(d.stage);
      a.appendVarchar(d.feed);
      a.appendVarchar(d.source.uri);
      a.appendVarchar(formatPosition(d.source.position));
      a.appendVarchar([...new Set(d.reasons.map((r) => r.code))].join(","));
      a.appendVarchar(JSON.stringify(d.reasons));
      a.appendVarchar(JSON.stringify(d.payload ?? null));
      a.appendVarchar(d.at);
      varcharOrNull(a, topic);
      if (partition === undefined) a.appendNull(); else a.appendInteger(partition);
      if (offset === undefined) a.appendNull(); else a.appendBigInt(BigInt(offset));
      a.endRow();
    }
    a.flushSync();
  } finally {
    a.closeSync();
  }
}
