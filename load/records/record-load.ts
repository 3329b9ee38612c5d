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
import { REGION_ANCESTOR_VIEW } from "./derive-sql.ts";
import { ensureRecordTable } from "./record-table.ts";
import { loadBatch } from "./load-batch.ts";
import { deriveNew } from "./derive-new.ts";
import type { RecordLoadStats } from "./record-load-stats.ts";
import { batchProblem, quarantineMessage } from "./refuse-batch.ts";
import { stalePeriods, writeRecordPartitions } from "./record-lake.ts";
import { createSerial } from "../serial.ts";

export type { RecordLoadStats } from "./record-load-stats.ts";

/** How long deliveries must pause before the lake's record partitions are rewritten. */
const LAKE_PAUSE_MS = 2000;
/** How stale the lake's record partitions may get while deliveries keep coming. */
const LAKE_MAX_AGE_MS = 30_000;

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
  /**
   * How long Kafka waits before a restarted loader may take over from a dead one (`load.sessionTimeoutMs`, as the
   * observation loader): without it a record loader restarted after a crash waited out the bus's default first.
   */
  sessionTimeoutMs?: number;
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
  const releaseStart = await warehouse.threads.wide();
  try {
    await deriveNew(connection, options, stats);
  } finally {
    await releaseStart();
  }
  const { lakeDir } = options;
  if (lakeDir)
    for (const spec of options.specs)
      await writeRecordPartitions(connection, spec, lakeDir, await stalePeriods(connection, spec, lakeDir));
  await options.bus.ensureTopics(options.specs.map((s) => options.topics.records(s.id)));

  /** The lake's record partitions changed since it was last written, by feed; see publishLake. */
  const lakeDirty = new Map<string, Set<string>>();
  let lakeDirtySince: number | undefined;

  /** One delivery, decoded: each message's batch and spec, or why it is refused. */
  interface Delivery {
    delivered: Delivered[];
    reads: ReturnType<typeof readBatch>[];
    positions: PartitionPosition[];
  }
  const write = async ({ delivered, reads, positions }: Delivery) => {
    const touched = new Map<string, Set<string>>();
    // Before the transaction, so the kill suite can aim its kills at the record work (test/reliability).
    log.debug({ batches: delivered.length }, "record batches received");
    // The counts follow the warehouse: a rolled-back delivery (retried later) must not be counted twice.
    const counted = { ...stats };
    await connection.run("BEGIN TRANSACTION");
    try {
      for (let i = 0; i < delivered.length; i++) {
        const at = delivered[i]!;
        const read = reads[i]!;
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
      Object.assign(stats, counted);
      throw err;
    }
    // The lake is a copy, written after the commit and not after every delivery (see publishLake).
    for (const [feed, periods] of touched) {
      const dirty = lakeDirty.get(feed) ?? new Set<string>();
      for (const p of periods) dirty.add(p);
      lakeDirty.set(feed, dirty);
    }
    lakeDirtySince ??= Date.now();
    const records = reads.reduce((n, r) => n + ("batch" in r ? r.batch.rows : 0), 0);
    log.debug({ batches: delivered.length, records }, "record batches loaded");
  };

  /*
   * Every use of the connection after start-up goes through one serial queue: a delivery's transaction and a lake
   * publication never interleave (a COPY run inside an open transaction would export uncommitted records).
   *
   * Deliveries are written in the background, one at a time and in order: `handle` returns once its delivery is
   * queued, so the stages upstream prepare the next batch (read, check, pseudonymise) while DuckDB writes this one.
   * A delivery stays queued until its transaction commits. After a failure nothing more is taken until the queue is
   * written (the next `handle` retries it, and throws if it fails again): the bus never runs ahead of the warehouse,
   * and no delivery is dropped, since what Kafka handed over stays here until it is in (positions commit with it).
   *
   * The record partitions of the lake are rewritten whole, so rewriting the periods a delivery touched after every
   * delivery rewrote the feed's records again and again during a long load (a file of 10^6 households over 5 years
   * is 16 deliveries, each touching every year). They are written once deliveries pause (LAKE_PAUSE_MS), or at least
   * every LAKE_MAX_AGE_MS while they keep coming, and always before idle, stop or the embedded bus's flush resolve.
   * A crash before that is mended at the next start (stalePeriods), as before.
   */
  const serial = createSerial();
  const queue: Delivery[] = [];
  let writing: Promise<void> = Promise.resolve();
  let writeError: unknown;
  let lakeTimer: NodeJS.Timeout | undefined;

  const drain = async () => {
    if (queue.length === 0) return;
    // Derivations are parallel aggregations: every DuckDB thread, even beside the observation loader (duckdb-threads.ts).
    const release = await warehouse.threads.wide();
    try {
      while (queue.length > 0) {
        await write(queue[0]!);
        queue.shift();
      }
    } finally {
      await release();
    }
  };
  const publishLake = async () => {
    clearTimeout(lakeTimer);
    lakeTimer = undefined;
    if (lakeDir)
      for (const [feed, periods] of [...lakeDirty]) {
        await writeRecordPartitions(connection, specs.get(feed)!, lakeDir, [...periods]);
        lakeDirty.delete(feed);
      }
    lakeDirty.clear();
    lakeDirtySince = undefined;
  };
  /** Publishes the lake after a pause in deliveries, or now when it has waited too long. */
  const scheduleLake = () => {
    if (!lakeDir || lakeDirty.size === 0) return;
    const publish = () =>
      void serial.run(publishLake).catch((err: unknown) => {
        log.error({ err }, "record partitions of the lake not written; trying again after the next delivery");
      });
    clearTimeout(lakeTimer);
    if (Date.now() - (lakeDirtySince ?? Date.now()) >= LAKE_MAX_AGE_MS) publish();
    else lakeTimer = setTimeout(publish, LAKE_PAUSE_MS).unref();
  };
  /** Waits for the background write, then writes what a failure left queued; throws if that fails again. */
  const settle = async () => {
    await writing;
    if (writeError === undefined) return;
    writeError = undefined;
    const retry = serial.run(drain);
    writing = retry.catch((err: unknown) => {
      writeError = err;
    });
    await retry;
  };
  const handle = async (delivered: Delivered[], positions: PartitionPosition[]) => {
    // Decoding the Arrow batches runs before the wait, so it overlaps the previous delivery's write.
    const delivery = { delivered, reads: delivered.map((at) => readBatch(at, specs)), positions };
    await settle();
    queue.push(delivery);
    writing = serial
      .run(drain)
      .then(scheduleLake)
      .catch((err: unknown) => {
        writeError = err;
        log.error({ err, queued: queue.length }, "record batch not written to the warehouse; retrying with the next");
      });
  };
  /** Everything handed over is in the warehouse, and the lake shows it. */
  const flush = async () => {
    await settle();
    await serial.run(publishLake);
  };
  const consumer = await options.bus.runSink({
    groupId,
    topics: options.specs.map((s) => options.topics.records(s.id)),
    handle,
    flush,
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
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
  const runner: Runner = {
    // Caught up means committed: the queued delivery is in the warehouse before idle resolves.
    idle: async () => {
      await consumer.idle();
      await flush();
    },
    stop: async () => {
      await consumer.stop();
      try {
        await flush();
      } finally {
        clearTimeout(lakeTimer);
      }
    },
  };
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
