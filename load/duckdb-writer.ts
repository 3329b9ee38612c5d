import type { DuckDBConnection } from "@duckdb/node-api";
import type { PartitionPosition } from "../bus/index.ts";
import {
  appendDeadLetters,
  appendObservations,
  CLEAR_BUFFER_SQL,
  type DeadLetterRow,
  type ObservationRow,
} from "./merge-buffer-rows.ts";
import { BufferedLines } from "./buffered-lines.ts";
import { DistinctPositions } from "./distinct-positions.ts";
import { LoadedLines } from "./loaded-lines.ts";
import { ObservationList } from "./observation-list.ts";
import { createSourceDictionary } from "./source-dictionary.ts";
import { createStringDictionary } from "./string-dictionary.ts";
import { literal } from "./sql-literal.ts";
import { WAREHOUSE } from "../schemas/index.ts";

export type { DeadLetterRow, ObservationRow } from "./merge-buffer-rows.ts";

/**
 * Buffered rows with their strings resolved, and the provenance their message shares (buffer_src, resolved once)
 * looked up by the row's source tuple: both through lists indexed by id (a join with buffer_src made the merge a
 * third slower).
 * `source_position` is rebuilt from its parts exactly as formatPosition writes it (concat_ws skips the absent
 * parts), so it never crosses into DuckDB as a string of its own.
 */
const RESOLVED_OBS = `
WITH d AS (SELECT coalesce(list(s ORDER BY id), []) AS l,
  coalesce(list(TRY_CAST(s AS TIMESTAMPTZ) ORDER BY id), []) AS ts FROM buffer_dict),
src AS (SELECT coalesce(list(d.l[feed + 1] ORDER BY src_id), []) AS feed, coalesce(list(d.l[uri + 1] ORDER BY src_id), []) AS uri,
  coalesce(list(d.l[kafka_topic + 1] ORDER BY src_id), []) AS topic, coalesce(list(kafka_partition ORDER BY src_id), []) AS part,
  coalesce(list(CAST(kafka_offset AS BIGINT) ORDER BY src_id), []) AS off,
  coalesce(list(d.ts[ingested_at + 1] ORDER BY src_id), []) AS ingested
  FROM buffer_src, d)
SELECT seq, d.l[indicator + 1] AS indicator_code, d.l[region + 1] AS region_code, d.l[period + 1] AS period, value,
  d.l[unit + 1] AS unit, d.l[vintage + 1] AS vintage, d.ts[vintage + 1] AS vintage_ts,
  src.feed[buffer_obs.src + 1] AS source_feed, src.uri[buffer_obs.src + 1] AS source_uri,
  coalesce(nullif(concat_ws(' ', 'sheet ' || d.l[pos_sheet + 1], 'row ' || pos_row, 'line ' || pos_line,
    'offset ' || CAST(pos_offset AS BIGINT), 'column ' || d.l[pos_column + 1]), ''), 'whole source') AS source_position,
  pos_line AS source_line, d.l[pos_sheet + 1] AS source_sheet, pos_row AS source_row, d.l[pos_column + 1] AS source_column,
  src.topic[buffer_obs.src + 1] AS kafka_topic, src.part[buffer_obs.src + 1] AS kafka_partition,
  src.off[buffer_obs.src + 1] AS kafka_offset, src.ingested[buffer_obs.src + 1] AS ingested_at
FROM buffer_obs, d, src`;

/**
 * The same cell, vintage and source position is the same observation, however often it is delivered: within the
 * buffered rows the first delivery wins (`seq`), and a key already in the warehouse is not inserted again. Both
 * checks are left out when they cannot find anything: `lookUpPresent` (loaded-lines.ts) and `firstOfEachKey`
 * (DistinctPositions: every buffered row has a position of its own). Without them the rows stream from the buffer
 * into the table in their order, which DuckDB writes as whole row groups; with them the parallel insert left a
 * part-filled row group per merge, which the checkpoint at close then rewrote with its neighbours (5·10^6 facts in
 * merges of 491,520: 51 row groups where 41 hold them, and a 6.5 s checkpoint). Measured on
 * 140,000 buffered rows: a row_number() window took 1.3 s where the grouped minimum takes 0.3 s. Keys already present
 * are looked up with the buffered side hashed, joined on the line (or workbook row) as well: equal keys mean equal
 * positions, and DuckDB pushes the buffered lines' range into the fact scan, which then skips every row group outside
 * it (3·10^6 facts: 0.2-1 s per lookup by key alone, 2 ms with the line). Positions with neither scan what has neither.
 * Timestamps are cast once per distinct string in the dictionary, not per row. No key index (migration 4).
 */
const MERGE_OBS = (lookUpPresent: boolean, firstOfEachKey: boolean) => `INSERT INTO ${WAREHOUSE.factObservation}
  (obs_key, indicator_code, region_code, period, value, unit, vintage, source_feed,
   source_uri, source_position, source_line, source_sheet, source_row, source_column,
   kafka_topic, kafka_partition, kafka_offset, ingested_at)
WITH k AS ${lookUpPresent || firstOfEachKey ? "" : "NOT "}MATERIALIZED (
  SELECT md5_number(concat_ws('|', indicator_code, region_code, period, vintage, source_feed, source_uri, source_position))
    AS obs_key, *
  FROM (${RESOLVED_OBS}) WHERE NOT isnan(value)),
present AS (
  SELECT f.obs_key FROM ${WAREHOUSE.factObservation} f SEMI JOIN k ON f.source_line = k.source_line AND f.obs_key = k.obs_key
  UNION ALL
  SELECT f.obs_key FROM ${WAREHOUSE.factObservation} f SEMI JOIN k ON f.source_row = k.source_row AND f.obs_key = k.obs_key
  UNION ALL
  SELECT f.obs_key FROM ${WAREHOUSE.factObservation} f SEMI JOIN (SELECT obs_key FROM k WHERE source_line IS NULL AND source_row IS NULL) n
    ON f.source_line IS NULL AND f.source_row IS NULL AND f.obs_key = n.obs_key)
SELECT obs_key, indicator_code, region_code, period, value, unit, vintage_ts, source_feed, source_uri, source_position,
  source_line, source_sheet, source_row, source_column, kafka_topic, kafka_partition, kafka_offset, ingested_at
FROM k${whereAll([
  firstOfEachKey && "seq IN (SELECT min(seq) FROM k GROUP BY obs_key)",
  lookUpPresent && "obs_key NOT IN (SELECT obs_key FROM present)",
])}`;

/** ` WHERE a AND b` of the conditions given, or nothing when none is. */
function whereAll(conditions: ReadonlyArray<string | false>): string {
  const given = conditions.filter((c): c is string => c !== false);
  return given.length > 0 ? `\nWHERE ${given.join(" AND ")}` : "";
}

/**
 * Cells sent with a missing-value marker (buffered with value NaN) go to missing_cell, keyed like observations: a
 * re-delivered one is ignored by the key, and within the buffer the first delivery wins.
 */
const MERGE_MISSING = `INSERT OR IGNORE INTO ${WAREHOUSE.missingCell}
  (cell_key, indicator_code, region_code, period, unit, vintage, source_feed, source_uri, source_position,
   source_line, source_sheet, source_row, source_column, ingested_at)
SELECT
  md5_number(concat_ws('|', indicator_code, region_code, period, vintage, source_feed, source_uri, source_position))
    AS cell_key,
  indicator_code, region_code, period, unit, vintage_ts, source_feed, source_uri, source_position,
  source_line, source_sheet, source_row, source_column, ingested_at
FROM (${RESOLVED_OBS}) WHERE isnan(value)
QUALIFY row_number() OVER (PARTITION BY cell_key ORDER BY seq) = 1`;

const MERGE_DL = `INSERT OR IGNORE INTO ${WAREHOUSE.quarantine}
  (dl_key, stage, feed, source_uri, source_position, reason_codes, reasons, payload, failed_at, kafka_topic, kafka_partition, kafka_offset)
SELECT md5_number(concat_ws('|', stage, feed, source_uri, source_position, reasons)),
  stage, feed, source_uri, source_position, reason_codes, CAST(reasons AS JSON),
  CAST(payload AS JSON), CAST(failed_at AS TIMESTAMPTZ), kafka_topic, kafka_partition, kafka_offset
FROM buffer_dl
QUALIFY row_number() OVER (PARTITION BY stage, feed, source_uri, source_position, reasons ORDER BY seq) = 1`;

/** Lake partitions the merge touched, marked in its own transaction so a crash cannot forget them. */
const MARK_FACT_YEARS = `INSERT OR IGNORE INTO ${WAREHOUSE.lakeDirty} (table_name, part)
SELECT DISTINCT '${WAREHOUSE.factObservation}', 'year=' || left(s, 4) FROM buffer_dict
WHERE id IN (SELECT DISTINCT period FROM buffer_obs)`;
const MARK_QUARANTINE = `INSERT OR IGNORE INTO ${WAREHOUSE.lakeDirty} (table_name, part) VALUES ('${WAREHOUSE.quarantine}', '')`;

/** Stores where the group resumes on a partition (literals: it runs in one call with the merge's last statements). */
const storePosition = (groupId: string, p: PartitionPosition) =>
  `INSERT OR REPLACE INTO ${WAREHOUSE.kafkaOffsets} (consumer_group, topic, partition, next_offset, updated_at)
VALUES (${literal(groupId)}, ${literal(p.topic)}, ${Math.trunc(p.partition)}, ${BigInt(p.offset)}, current_timestamp)`;

export interface WriteResult {
  /** Rows new to the warehouse (re-deliveries are not counted). */
  observations: number;
  deadLetters: number;
  /** Cells sent with a missing-value marker, new to missing_cell (present only when there are any). */
  missingCells?: number;
  /** Rows that were buffered, new or not. */
  buffered: number;
  /** Observations buffered per feed, new or not (what the loaded-records metric counts once they are committed). */
  bufferedByFeed: ReadonlyMap<string, number>;
}

/**
 * Rows waiting in the session's merge buffer tables for one merge. Buffering is cheap and merging has a fixed cost
 * (and a transaction of at least one row group, 122,880 rows, is written straight to the file instead of the WAL),
 * so the loader buffers batch after batch and merges when enough are waiting or the input pauses.
 */
export interface MergeBuffer {
  append(
    observations: ObservationList | readonly ObservationRow[],
    deadLetters: readonly DeadLetterRow[],
    positions: readonly PartitionPosition[],
  ): Promise<void>;
  /** Rows buffered and not yet merged, and of them the observations and the dead letters. */
  readonly rows: number;
  readonly observations: number;
  readonly deadLetters: number;
  /**
   * One transaction: the buffered rows (ignoring re-deliveries), the lake marks, the consumer positions, and the
   * emptying of the buffer, so rows and positions commit together or not at all. On failure everything stays buffered.
   */
  merge(groupId: string): Promise<WriteResult>;
}

export interface MergeBufferOptions {
  /**
   * What the loader knows of the lines each file has loaded, shared by all its buffers (loaded-lines.ts). Without
   * it, each merge reads them afresh.
   */
  loadedLines?: LoadedLines;
  /** Look up present keys on every merge, as before migration 7 (tests compare both ways). */
  alwaysLookUpPresent?: boolean;
  /** Keep the first delivery of each key on every merge, even when every buffered row has its own position. */
  alwaysFirstOfEachKey?: boolean;
}

export async function createMergeBuffer(
  connection: DuckDBConnection,
  options: MergeBufferOptions = {},
): Promise<MergeBuffer> {
  // Recreated, not just created if missing: a buffer left by an earlier writer on this connection starts empty.
  await connection.run(CLEAR_BUFFER_SQL);
  const dict = createStringDictionary();
  const sources = createSourceDictionary(dict);
  const distinct = new DistinctPositions();
  const lines = new BufferedLines();
  const positions = new Map<string, PartitionPosition>();
  let observations = 0;
  let notReported = 0;
  let deadLetters = 0;
  let byFeed = new Map<string, number>();
  const reset = () => {
    dict.clear();
    sources.clear();
    distinct.clear();
    lines.clear();
    positions.clear();
    observations = 0;
    notReported = 0;
    deadLetters = 0;
    byFeed = new Map();
  };

  return {
    get rows() {
      return observations + deadLetters;
    },
    get observations() {
      return observations;
    },
    get deadLetters() {
      return deadLetters;
    },
    async append(given, dls, batchPositions) {
      const obs = given instanceof ObservationList ? given : ObservationList.of(given);
      try {
        if (obs.length > 0) await appendObservations(connection, obs, dict, sources, observations, distinct, lines);
        observations += obs.length;
        notReported += obs.countByFeed(byFeed);
        if (dls.length > 0) await appendDeadLetters(connection, dls, deadLetters);
        deadLetters += dls.length;
      } catch (err) {
        // A half-appended batch would leave rows and dictionary out of step: the buffer starts over, and since no
        // position past the buffered rows was stored, the bus delivers them again (Kafka from the stored positions).
        await connection.run(CLEAR_BUFFER_SQL).catch(() => {});
        reset();
        throw err;
      }
      for (const p of batchPositions) positions.set(`${p.topic}\u0000${p.partition}`, p);
    },
    async merge(groupId) {
      const result: WriteResult = {
        observations: 0,
        deadLetters: 0,
        buffered: observations + deadLetters,
        bufferedByFeed: byFeed,
      };
      if (result.buffered === 0 && positions.size === 0) return result;
      const files = observations > 0 ? lines.files((file) => sources.fileName(file)) : [];
      const loaded = options.loadedLines ?? new LoadedLines();
      // Each call waits for a turn of the event loop, which the next buffer's appends (merge-pipeline.ts) and the
      // stages upstream keep busy (25-35 ms a call at 10^6 rows): statements go together wherever nothing in
      // between needs an answer. The lines of files not seen before are read with BEGIN; after that, a merge that
      // needs no lookup, no first delivery of a key, no missing cells and no dead letters is one call.
      const unknown = loaded.unknown(files);
      if (unknown.length > 0)
        loaded.learn(
          unknown,
          (await connection.runAndReadAll(`BEGIN TRANSACTION; ${LoadedLines.query(unknown)}`)).getRowObjectsJS(),
        );
      else await connection.run("BEGIN TRANSACTION");
      try {
        const last: string[] = [];
        const recordLines = LoadedLines.recordSql(files);
        if (observations > 0) {
          const lookUp = options.alwaysLookUpPresent === true || loaded.mayHoldLoadedKeys(files);
          const firstOfEachKey = !distinct.unique || options.alwaysFirstOfEachKey === true;
          const insert = MERGE_OBS(lookUp, firstOfEachKey);
          if (!lookUp && !firstOfEachKey && notReported === 0 && deadLetters === 0) {
            // Every buffered row is new and distinct, and has a value: the insert takes them all.
            last.push(insert);
            result.observations = observations;
          } else {
            result.observations = (await connection.run(insert)).rowsChanged;
            if (notReported > 0) {
              const missing = (await connection.run(MERGE_MISSING)).rowsChanged;
              if (missing > 0) result.missingCells = missing;
            }
          }
          if (recordLines !== undefined) last.push(recordLines);
          if (result.observations > 0) last.push(MARK_FACT_YEARS);
        }
        if (deadLetters > 0) {
          result.deadLetters = (await connection.run(MERGE_DL)).rowsChanged;
          if (result.deadLetters > 0) last.push(MARK_QUARANTINE);
        }
        for (const p of positions.values()) last.push(storePosition(groupId, p));
        // The buffer is emptied last: the lake marks read it.
        await connection.run(`${last.map((sql) => `${sql};\n`).join("")}${CLEAR_BUFFER_SQL}\nCOMMIT`);
      } catch (err) {
        // A failed COMMIT (disk full, read-only) has ended the transaction already: the cause must not be masked by the rollback.
        await connection.run("ROLLBACK").catch(() => {});
        throw err;
      }
      loaded.record(files);
      reset();
      return result;
    },
  };
}

/** Writes one batch in one transaction: buffer it, merge it. */
export async function writeBatch(
  connection: DuckDBConnection,
  groupId: string,
  observations: ObservationList | readonly ObservationRow[],
  deadLetters: readonly DeadLetterRow[],
  positions: readonly PartitionPosition[],
): Promise<WriteResult> {
  const buffer = await createMergeBuffer(connection);
  await buffer.append(observations, deadLetters, positions);
  return buffer.merge(groupId);
}

/** The positions stored for a consumer group, to resume from. */
export async function storedPositions(connection: DuckDBConnection, groupId: string): Promise<PartitionPosition[]> {
  const rows = (
    await connection.runAndReadAll(
      `SELECT topic, partition, next_offset FROM ${WAREHOUSE.kafkaOffsets} WHERE consumer_group = $1`,
      [groupId],
    )
  ).getRowObjects();
  return rows.map((r) => ({
    topic: String(r["topic"]),
    partition: Number(r["partition"]),
    offset: String(r["next_offset"]),
  }));
}
