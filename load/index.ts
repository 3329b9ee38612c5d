/**
 * Load: consumes observations and dead letters and keeps the DuckDB warehouse, the Parquet lake and bi.duckdb.
 * Rows and the consumer positions commit in one DuckDB transaction; on start the consumer resumes from the stored
 * positions, and re-delivered records are ignored, so a crash anywhere loses and doubles nothing (docs/WAREHOUSE.md).
 */
import { dirname } from "node:path";
import type { Bus, Delivered, PartitionPosition, Runner } from "../bus/index.ts";
import { createObservationValidator, WAREHOUSE, type Catalog, type TopicNames } from "../schemas/index.ts";
import { LOAD_DEFAULTS, type LoadConfig } from "../runtime/config.ts";
import type { Logger } from "../runtime/logger.ts";
import { openWarehouse, type Warehouse } from "./warehouse.ts";
import { syncCatalog } from "./catalog-sync.ts";
import { createMergeBuffer, storedPositions, type MergeBuffer } from "./duckdb-writer.ts";
import { LoadedLines } from "./loaded-lines.ts";
import { decodeBatch } from "./decode-batch.ts";
import { createMergePipeline } from "./merge-pipeline.ts";
import { createSerial, type Serial } from "./serial.ts";
import { startLakePublisher, type LakePublisher } from "./lake-publisher.ts";
import { lakeMarkKey, lakePaths } from "./lake-layout.ts";

export { openWarehouse, openWarehouseReadOnly, migrate, schemaVersion, type Warehouse } from "./warehouse.ts";
export { syncCatalog } from "./catalog-sync.ts";
export {
  writeBatch,
  createMergeBuffer,
  storedPositions,
  type MergeBuffer,
  type ObservationRow,
  type DeadLetterRow,
  type WriteResult,
} from "./duckdb-writer.ts";
export { lakePaths } from "./lake-layout.ts";
export * from "./replay/index.ts";
export * from "./status/index.ts";
export {
  exportData,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportOptions,
  type ExportResult,
} from "./export/index.ts";

/**
 * A pause in deliveries this long merges what is buffered, so a trickle of rows does not wait for a full row group.
 * Long enough to span the gap while the stages upstream prepare the next batch; embedded ingest also flushes at the
 * end of every source, so there it only covers stray dead letters.
 */
const LINGER_MS = 2000;
/** After a failed merge (disk full, read-only folder) the next attempt waits this long unless a delivery comes first. */
const RETRY_MS = 2000;
/** Deliveries closer together than this are one burst: the lake's interval export waits for its end (or 30 s). */
const BURST_GAP_MS = 1000;

export interface LoadOptions {
  bus: Bus;
  topics: TopicNames;
  catalog: Catalog;
  warehousePath: string;
  logger: Logger;
  groupId?: string;
  /** Where lake/ and bi.duckdb go; default the warehouse's folder. */
  dataDir?: string;
  /** Rows per merge, lake and bi.duckdb settings (the `load` section of the configuration); defaults apply to what is left out. */
  settings?: Partial<LoadConfig>;
  /** A one-shot run publishes the lake and bi.duckdb once, when it stops, instead of while it loads. */
  lakeOnStop?: boolean;
  /** Told after each merge has committed: the observations it took per feed, re-deliveries included (for metrics). */
  onCommitted?: (observationsByFeed: ReadonlyMap<string, number>) => void;
}

export interface LoadStats {
  /** Observations and dead letters delivered to the loader (a batch message counts its rows), merged or buffered. */
  received: number;
  batches: number;
  observations: number;
  deadLetters: number;
  duplicates: number;
  /** Cells sent with a missing-value marker, recorded in missing_cell. */
  missingCells: number;
}

/**
 * Opens the warehouse, syncs the catalog dimensions, publishes the lake and starts consuming. `lastWriteError` is the
 * error of the last merge while writes fail (disk full, read-only), undefined once one succeeds.
 */
export async function startLoad(
  options: LoadOptions,
): Promise<{ runner: Runner; stats: LoadStats; warehouse: Warehouse; lastWriteError(): unknown }> {
  const { bus, topics } = options;
  // The configuration was parsed once, at start (runtime/config.ts); a caller that leaves a setting out gets its default.
  const settings: LoadConfig = { ...LOAD_DEFAULTS, ...options.settings };
  const log = options.logger.child({ stage: "load" });
  const groupId = options.groupId ?? `${topics.prefix}-load`;
  const opening = performance.now();
  const warehouse = await openWarehouse(options.warehousePath);
  const { connection } = warehouse;
  const syncing = performance.now();
  await syncCatalog(connection, options.catalog);
  log.debug(
    { openMs: Math.round(syncing - opening), catalogMs: Math.round(performance.now() - syncing) },
    "warehouse opened",
  );
  const serial = createSerial();
  /** When the last delivery arrived: the lake waits for a pause in the input (see LakePublisherOptions.busy). */
  let lastDeliveryAt = 0;
  const busy = () => Date.now() - lastDeliveryAt < BURST_GAP_MS;
  let lake: LakePublisher | undefined;
  const stats: LoadStats = {
    received: 0,
    batches: 0,
    observations: 0,
    deadLetters: 0,
    duplicates: 0,
    missingCells: 0,
  };
  const dlqTopics = [topics.dlqIngest, topics.dlqTransform];
  await bus.ensureTopics([topics.observations, ...dlqTopics]);

  // Two buffers on two connections: one fills while the other merges (merge-pipeline.ts). They share what is known
  // of the lines each file has loaded, since each merge widens them for the next.
  const loadedLines = new LoadedLines();
  const buffers = [
    await createMergeBuffer(connection, { loadedLines }),
    await createMergeBuffer(await warehouse.connect(), { loadedLines }),
  ] as const;
  const validateObservation = createObservationValidator();
  let writeError: unknown;
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void serial.run(drain).catch(() => {}), ms);
    timer.unref();
  };

  /**
   * Merges one buffer; on failure its rows stay buffered and a retry is armed. Returns the small tables' lake marks
   * it set, for the lake's afterBatch once it has committed.
   */
  async function merge(buffer: MergeBuffer): Promise<readonly string[]> {
    clearTimeout(timer);
    try {
      const started = performance.now();
      const written = await buffer.merge(groupId);
      const ms = Math.round(performance.now() - started);
      stats.batches++;
      stats.observations += written.observations;
      stats.deadLetters += written.deadLetters;
      const missing = written.missingCells ?? 0;
      stats.duplicates += written.buffered - written.observations - written.deadLetters - missing;
      stats.missingCells += missing;
      writeError = undefined;
      options.onCommitted?.(written.bufferedByFeed);
      log.debug(
        { rows: written.buffered, observations: written.observations, deadLetters: written.deadLetters, ms },
        "batch loaded",
      );
      // The small tables a merge can change (for the one-shot run's early export, lake-background.ts).
      return written.deadLetters > 0 ? [lakeMarkKey(WAREHOUSE.quarantine, "")] : [];
    } catch (err) {
      // Rows and positions commit together, so nothing of the failed merge is in the warehouse; the rows stay buffered.
      writeError = err;
      log.error({ err, rows: buffer.rows }, "batch not written to the warehouse; retrying");
      arm(RETRY_MS);
      throw err;
    }
  }

  // Observations per merge (load.mergeRows, default one DuckDB row group: a transaction that appends at least a row
  // group is written straight into the file rather than through the WAL, and each merge scans the keys once). The
  // feeder cuts deliveries so each merge takes exactly this many, which keeps the table's row groups whole.
  const pipeline = createMergePipeline({
    buffers,
    mergeRows: settings.mergeRows,
    merge,
    afterMerge: async (marked) => {
      await lake?.afterBatch(marked);
    },
  });

  // The lake's tasks run where no merge runs: a merge in flight (merge-pipeline.ts) is waited for first. One that
  // failed is retried by the loader's own timer or its next delivery, not by the lake.
  const lakeSerial: Serial = {
    run: (task) =>
      serial.run(async () => {
        await pipeline.awaitMerge().catch(() => {});
        return task();
      }),
  };
  lake =
    settings.lake && options.warehousePath !== ":memory:"
      ? await startLake(warehouse, options, settings, lakeSerial, log, busy)
      : undefined;

  /** Inside the serial section: merges everything buffered or waiting to be buffered. */
  const drain = () => pipeline.drain();

  const handle = (batch: Delivered[], positions: PartitionPosition[]) => {
    lastDeliveryAt = Date.now();
    // Decoding runs before the queue, so it overlaps a merge still running in DuckDB's threads.
    const delivery = { ...decodeBatch(batch, topics, validateObservation), positions };
    return serial.run(async () => {
      // After a failed merge nothing more is buffered until a merge succeeds: the bus must not outrun the warehouse.
      if (writeError !== undefined) await drain();
      pipeline.add(delivery);
      stats.received += delivery.observations.length + delivery.deadLetters.length;
      // Returns with at most one merge running and one buffer filling: DuckDB merges while the stages upstream
      // prepare the next delivery, and a trickle is merged after a pause.
      await pipeline.pump();
      if (pipeline.pending > 0) arm(LINGER_MS);
    });
  };
  const flush = () => serial.run(drain);
  const consumer = await bus.runSink({
    groupId,
    topics: [topics.observations, ...dlqTopics],
    storedPositions: () => storedPositions(connection, groupId),
    handle,
    flush,
    ...(settings.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: settings.sessionTimeoutMs }),
  });
  // Merges and exports are single pipelines: DuckDB runs them best with a core left to the stages upstream. Taken
  // last, so a start that fails leaves the setting as it was.
  const releaseThreads = await warehouse.threads.narrow();
  const runner: Runner = {
    // Caught up means committed: what is buffered is merged before idle resolves.
    idle: async () => {
      await consumer.idle();
      await flush();
    },
    stop: async () => {
      await consumer.stop();
      clearTimeout(timer);
      try {
        await flush();
      } finally {
        try {
          await lake?.stop();
        } finally {
          await releaseThreads();
        }
      }
    },
  };
  return { runner, stats, warehouse, lastWriteError: () => writeError };
}

async function startLake(
  warehouse: Warehouse,
  options: LoadOptions,
  settings: LoadConfig,
  serial: Serial,
  log: Logger,
  busy: () => boolean,
): Promise<LakePublisher> {
  const { lakeDir, biPath } = lakePaths(options.dataDir ?? dirname(warehouse.path));
  return startLakePublisher({
    ...(options.lakeOnStop ? { backgroundConnection: await warehouse.connect() } : {}),
    connection: warehouse.connection,
    lakeDir,
    biPath,
    lakeRef: settings.biLakePath ?? lakeDir,
    intervalMs: options.lakeOnStop ? "on-stop" : settings.parquetIntervalMs,
    busy,
    serial,
    logger: log,
  });
}
export {
  startRecordLoad,
  type RecordLoadOptions,
  type RecordLoadStats,
} from "./records/record-load.ts";
export { derivationChain, type DerivationChain } from "./records/derivation-chain.ts";
