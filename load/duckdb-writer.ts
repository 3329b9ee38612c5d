import type { DuckDBConnection } from "@duckdb/node-api";
import type { PartitionPosition } from "../bus/index.ts";
import { appendDeadLetters, appendObservations, STAGE_TABLES_SQL, type DeadLetterRow, type ObservationRow } from "./stage-rows.ts";

export type { DeadLetterRow, ObservationRow } from "./stage-rows.ts";

/**
 * The same cell, vintage and source position is the same observation, however often it is delivered: the key
 * ignores re-deliveries across batches, and within a batch the first delivery wins (`seq`), as it does across them.
 */
const MERGE_OBS = `INSERT OR IGNORE INTO fact_observation
  (obs_key, indicator_code, region_code, period, value, unit, vintage, source_feed, source_uri, source_position, source_line, source_sheet, source_row, source_column, kafka_topic, kafka_partition, kafka_offset, ingested_at)
SELECT md5_number(concat_ws('|', indicator_code, region_code, period, vintage, source_feed, source_uri, source_position)),
  indicator_code, region_code, period, value, unit, CAST(vintage AS TIMESTAMPTZ), source_feed, source_uri, source_position, source_line, source_sheet, source_row, source_column,
  kafka_topic, kafka_partition, kafka_offset, CAST(ingested_at AS TIMESTAMPTZ)
FROM stage_obs
QUALIFY row_number() OVER (PARTITION BY indicator_code, region_code, period, vintage, source_feed, source_uri, source_position ORDER BY seq) = 1`;

const MERGE_DL = `INSERT OR IGNORE INTO quarantine
  (dl_key, stage, feed, source_uri, source_position, reason_codes, reasons, payload, failed_at, kafka_topic, kafka_partition, kafka_offset)
SELECT md5_number(concat_ws('|', stage, feed, source_uri, source_position, reasons)),
  stage, feed, source_uri, source_position, reason_codes, CAST(reasons AS JSON), CAST(payload AS JSON), CAST(failed_at AS TIMESTAMPTZ), kafka_topic, kafka_partition, kafka_offset
FROM stage_dl
QUALIFY row_number() OVER (PARTITION BY stage, feed, source_uri, source_position, reasons ORDER BY seq) = 1`;

/** Lake partitions the batch touched, marked in the batch's own transaction so a crash cannot forget them. */
const MARK_FACT_YEARS = `INSERT OR IGNORE INTO _lake_dirty (table_name, part)
SELECT DISTINCT 'fact_observation', 'year=' || left(period, 4) FROM stage_obs`;
const MARK_QUARANTINE = `INSERT OR IGNORE INTO _lake_dirty (table_name, part) VALUES ('quarantine', '')`;

const STORE_POSITION = `INSERT OR REPLACE INTO _kafka_offsets (consumer_group, topic, partition, next_offset, updated_at)
VALUES ($1, $2, $3, $4, current_timestamp)`;

export interface WriteResult {
  /** Rows new to the warehouse (re-deliveries are not counted). */
  observations: number;
  deadLetters: number;
}

/**
 * Writes one batch: rows go through the Appender into session-local staging tables, then one transaction
 * merges them (ignoring re-deliveries), marks the lake partitions they touched and stores the consumer positions,
 * so rows and positions commit together or not at all.
 */
export async function writeBatch(connection: DuckDBConnection, groupId: string, observations: readonly ObservationRow[], deadLetters: readonly DeadLetterRow[], positions: readonly PartitionPosition[]): Promise<WriteResult> {
  await connection.run(STAGE_TABLES_SQL);
  if (observations.length > 0) await appendObservations(connection, observations);
  if (deadLetters.length > 0) await appendDeadLetters(connection, deadLetters);
  await connection.run("BEGIN TRANSACTION");
  try {
    const result: WriteResult = { observations: 0, deadLetters: 0 };
    if (observations.length > 0) {
      result.observations = (await connection.run(MERGE_OBS)).rowsChanged;
      if (result.observations > 0) await connection.run(MARK_FACT_YEARS);
    }
    if (deadLetters.length > 0) {
      result.deadLetters = (await connection.run(MERGE_DL)).rowsChanged;
      if (result.deadLetters > 0) await connection.run(MARK_QUARANTINE);
    }
    for (const p of positions) await connection.run(STORE_POSITION, [groupId, p.topic, p.partition, BigInt(p.offset)]);
    await connection.run("COMMIT");
    return result;
  } catch (err) {
    // A failed COMMIT (disk full, read-only) has ended the transaction already: the cause must not be masked by the rollback.
    await connection.run("ROLLBACK").catch(() => {});
    throw err;
  }
}

/** The positions stored for a consumer group, to resume from. */
export async function storedPositions(connection: DuckDBConnection, groupId: string): Promise<PartitionPosition[]> {
  const rows = (await connection.runAndReadAll("SELECT topic, partition, next_offset FROM _kafka_offsets WHERE consumer_group = $1", [groupId])).getRowObjects();
  return rows.map((r) => ({ topic: String(r["topic"]), partition: Number(r["partition"]), offset: String(r["next_offset"]) }));
}
