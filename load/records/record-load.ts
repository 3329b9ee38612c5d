import { createHash } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Bus, Delivered, PartitionPosition, Runner } from "../../bus/index.ts";
import {
  RecordBatchDecodeError,
  recordBatchOf,
  type Derivation,
  type RecordBatch,
  type RecordFeedSpec,
  type TopicNames,
} from "../../schemas/index.ts";
import type { Logger } from "../../runtime/logger.ts";
import { openWarehouse, type Warehouse } from "../warehouse.ts";
import { appendRecords } from "./append-records.ts";
import { deriveCells, markAllCells, markDirtyCells } from "./derive-cells.ts";
import { REGION_ANCESTOR_VIEW } from "./derive-sql.ts";
import { ensureRecordTable, literal, recordTable } from "./record-table.ts";
import { batchProblem, quarantineMessage } from "./refuse-batch.ts";
import { stalePeriods, writeRecordPartitions } from "./record-lake.ts";

export interface RecordLoadOptions {
  bus: Bus;
  topics: TopicNames;
  specs: readonly RecordFeedSpec[];
  derivations: readonly Derivation[];
  /** The warehouse file; the record loader has a connection of its own to it, so its transactions are its own. */
  warehousePath: string;
  logger: Logger;
  groupId?: string;
  /** The lake folder; record partitions (non-personal columns) are written under its records/. None without it. */
  lakeDir?: string;
}

export interface RecordLoadStats {
  batches: number;
  records: number;
  /** Batches delivered again (a restart, a re-produced file) and not loaded twice. */
  duplicates: number;
  /** Messages that are not record batches of a known feed, or do not fit its spec: quarantined. */
  refused: number;
  cells: number;
  suppressed: number;
  observations: number;
}

/**
 * Consumes `<prefix>.records.<feed>` into the record tables and keeps the derived indicators. Each delivery commits in
 * one DuckDB transaction with its records, the cells it makes dirty recomputed, and the consumer positions; a batch
 * already in record_batch is skipped, so a re-delivery loads nothing twice. Derivations run once a source's last
 * batch is in, over the cells its records touch; at start, a derivation never computed runs over every cell.
 */
export async function startRecordLoad(
  options: RecordLoadOptions,
): Promise<{ runner: Runner; stats: RecordLoadStats; warehouse: Warehouse }> {
  const log = options.logger.child({ stage: "load-records" });
  const groupId = options.groupId ?? `${options.topics.prefix}-load-records`;
  const warehouse = await openWarehouse(options.warehousePath);
  const { connection } = warehouse;
  const stats: RecordLoadStats = {
    batches: 0,
    records: 0,
    duplicates: 0,
    refused: 0,
    cells: 0,
    suppressed: 0,
    observations: 0,
  };
  const specs = new Map(options.specs.map((s) => [s.id, s]));
  for (const spec of options.specs) await ensureRecordTable(connection, spec);
  await connection.run(REGION_ANCESTOR_VIEW);
  await deriveNew(connection, options, stats);
  const { lakeDir } = options;
  if (lakeDir)
    for (const spec of options.specs)
      await writeRecordPartitions(connection, spec, lakeDir, await stalePeriods(connection, spec, lakeDir));
  await options.bus.ensureTopics(options.specs.map((s) => options.topics.records(s.id)));

  const handle = async (delivered: Delivered[], positions: PartitionPosition[]) => {
    const touched = new Map<string, Set<string>>();
    await connection.run("BEGIN TRANSACTION");
    try {
      for (const at of delivered) {
        const read = readBatch(at, specs);
        if ("problem" in read) {
          stats.refused++;
          log.warn(
            { topic: at.topic, partition: at.partition, offset: at.offset, reason: read.problem },
            "record batch refused",
          );
          await quarantineMessage(connection, at, read.problem);
        } else {
          const periods = await loadBatch(connection, read.spec, read.batch, at, options.derivations, stats);
          const seen = touched.get(read.spec.id) ?? new Set<string>();
          for (const p of periods) seen.add(p);
          touched.set(read.spec.id, seen);
        }
      }
      for (const p of positions)
        await connection.run(
          `INSERT OR REPLACE INTO _kafka_offsets (consumer_group, topic, partition, next_offset, updated_at)
           VALUES ($1, $2, $3, $4, current_timestamp)`,
          [groupId, p.topic, p.partition, p.offset],
        );
      await connection.run("COMMIT");
    } catch (err) {
      await connection.run("ROLLBACK");
      log.error({ err }, "record batch not written to the warehouse");
      throw err;
    }
    // The lake is a copy: written after the commit; a crash in between is mended at the next start (stalePeriods).
    if (lakeDir)
      for (const [feed, periods] of touched)
        await writeRecordPartitions(connection, specs.get(feed)!, lakeDir, [...periods]);
    log.debug({ batches: delivered.length }, "record batches loaded");
  };
  const runner = await options.bus.runSink({
    groupId,
    topics: options.specs.map((s) => options.topics.records(s.id)),
    handle,
    storedPositions: async () => {
      const rows = (
        await connection.runAndReadAll(
          "SELECT topic, partition, next_offset FROM _kafka_offsets WHERE consumer_group = $1",
          [groupId],
        )
      ).getRowObjects();
      return rows.map((r) => ({
        topic: String(r["topic"]),
        partition: Number(r["partition"]),
        offset: String(r["next_offset"]),
      }));
    },
  });
  return { runner, stats, warehouse };
}

/** The batch a message holds and its feed's spec, or why it cannot be loaded. */
function readBatch(
  at: Delivered,
  specs: ReadonlyMap<string, RecordFeedSpec>,
): { batch: RecordBatch; spec: RecordFeedSpec } | { problem: string } {
  let batch: RecordBatch;
  try {
    batch = recordBatchOf(at.value, at.headers);
  } catch (err) {
    if (err instanceof RecordBatchDecodeError) return { problem: err.message };
    throw err;
  }
  const spec = specs.get(batch.feed);
  const problem = batchProblem(batch, spec);
  return problem === undefined && spec ? { batch, spec } : { problem: problem ?? "no spec" };
}

async function scalar(connection: DuckDBConnection, sql: string): Promise<number> {
  const row = (await connection.runAndReadAll(sql)).getRows()[0];
  return Number(row?.[0] ?? 0);
}

/**
 * Loads one batch unless it is in already; once a source is whole, derives the cells its records touched. Returns
 * the periods whose records changed (none for a batch delivered again).
 */
async function loadBatch(
  connection: DuckDBConnection,
  spec: RecordFeedSpec,
  batch: RecordBatch,
  at: Delivered,
  derivations: readonly Derivation[],
  stats: RecordLoadStats,
): Promise<string[]> {
  const feed = literal(spec.id);
  const seen = await scalar(
    connection,
    `SELECT count(*) FROM record_batch WHERE feed = ${feed} AND checksum = ${literal(batch.checksum)} AND seq = ${batch.seq}`,
  );
  if (seen > 0) {
    stats.duplicates++;
    return [];
  }
  const snapshot =
    (await scalar(connection, `SELECT coalesce(max(snapshot), 0) FROM record_batch WHERE feed = ${feed}`)) + 1;
  await appendRecords(connection, spec, batch, snapshot);
  await connection.run(
    `INSERT INTO record_batch (feed, checksum, seq, snapshot, source_uri, records, vintage, kafka_topic, kafka_partition, kafka_offset)
     VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS TIMESTAMPTZ), $8, $9, $10)`,
    [
      spec.id,
      batch.checksum,
      batch.seq,
      snapshot,
      batch.uri,
      batch.rows,
      batch.vintage,
      at.topic,
      at.partition,
      at.offset,
    ],
  );
  stats.batches++;
  stats.records += batch.rows;
  const periods = (
    await connection.runAndReadAll(
      `SELECT DISTINCT _period FROM ${recordTable(spec.id)} WHERE _snapshot = ${snapshot} ORDER BY ALL`,
    )
  )
    .getRows()
    .map(([p]) => String(p));
  if (!batch.last) return periods;
  const through = await scalar(
    connection,
    `SELECT coalesce(max(snapshot), 0) FROM _record_derived WHERE feed = ${feed}`,
  );
  await markDirtyCells(connection, spec, through);
  for (const d of derivations.filter((x) => x.records === spec.id))
    add(stats, await deriveCells(connection, d, spec, snapshot, through));
  await connection.run(`INSERT OR REPLACE INTO _record_derived (feed, snapshot) VALUES (${feed}, ${snapshot})`);
  return periods;
}

function add(stats: RecordLoadStats, r: { cells: number; suppressed: number; observations: number }): void {
  stats.cells += r.cells;
  stats.suppressed += r.suppressed;
  stats.observations += r.observations;
}

/**
 * A derivation new, or changed since its cells were computed (its definition's hash differs from the stored one), is
 * computed over every cell once: its old cell states are dropped, and every cell's value becomes a new observation,
 * since the method changed. The hash is stored in the same transaction.
 */
async function deriveNew(
  connection: DuckDBConnection,
  options: RecordLoadOptions,
  stats: RecordLoadStats,
): Promise<void> {
  for (const d of options.derivations) {
    const spec = options.specs.find((s) => s.id === d.records);
    if (!spec) continue;
    const hash = createHash("sha256").update(JSON.stringify(d)).digest("hex");
    const [stored] = (
      await connection.runAndReadAll("SELECT definition FROM _derivation WHERE derivation = $1", [d.id])
    ).getRows();
    if (stored?.[0] === hash) continue;
    const snapshot = await scalar(
      connection,
      `SELECT coalesce(max(snapshot), 0) FROM _record_derived WHERE feed = ${literal(spec.id)}`,
    );
    await connection.run("BEGIN TRANSACTION");
    try {
      await connection.run("DELETE FROM derived_cell WHERE derivation = $1", [d.id]);
      if (snapshot > 0) {
        await markAllCells(connection, recordTable(spec.id));
        add(stats, await deriveCells(connection, d, spec, snapshot));
      }
      await connection.run("INSERT OR REPLACE INTO _derivation (derivation, definition) VALUES ($1, $2)", [d.id, hash]);
      await connection.run("COMMIT");
    } catch (err) {
      await connection.run("ROLLBACK");
      throw err;
    }
  }
}
