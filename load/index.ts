/**
 * Load: consumes observations and dead letters and keeps the DuckDB warehouse, the Parquet lake and bi.duckdb.
 * Rows and the consumer positions commit in one DuckDB transaction; on start the consumer resumes from the stored
 * positions, and re-delivered records are ignored, so a crash anywhere loses and doubles nothing (docs/WAREHOUSE.md).
 */
import { dirname } from "node:path";
import type { Bus, Delivered, PartitionPosition, Runner } from "../bus/index.ts";
import type { Catalog, TopicNames } from "../schemas/index.ts";
import { LoadConfig } from "../runtime/config.ts";
import type { Logger } from "../runtime/logger.ts";
import { openWarehouse, type Warehouse } from "./warehouse.ts";
import { syncCatalog } from "./catalog-sync.ts";
import { storedPositions, writeBatch } from "./duckdb-writer.ts";
import { decodeBatch } from "./decode-batch.ts";
import { splitBatch } from "./split-batch.ts";
import { createSerial, type Serial } from "./serial.ts";
import { startLakePublisher, type LakePublisher } from "./lake-publisher.ts";
import { lakePaths } from "./lake-layout.ts";

export { openWarehouse, openWarehouseReadOnly, migrate, schemaVersion, type Warehouse } from "./warehouse.ts";
export { syncCatalog } from "./catalog-sync.ts";
export { writeBatch, storedPositions, type ObservationRow, type DeadLetterRow, type WriteResult } from "./duckdb-writer.ts";
export { lakePaths } from "./lake-layout.ts";
export { exportData, EXPORT_FORMATS, type ExportFormat, type ExportOptions, type ExportResult } from "./export/index.ts";

/** Smallest warehouse transaction in embedded mode: what ingest hands over in one publish. */
const EMBEDDED_MIN_BATCH = 20_000;

export interface LoadOptions {
  bus: Bus;
  topics: TopicNames;
  catalog: Catalog;
  warehousePath: string;
  logger: Logger;
  groupId?: string;
  /** Where lake/ and bi.duckdb go; default the warehouse's folder. */
  dataDir?: string;
  /** Batch size, lake and bi.duckdb settings (the `load` section of the configuration); defaults apply to what is left out. */
  settings?: Partial<LoadConfig>;
}

export interface LoadStats {
  batches: number;
  observations: number;
  deadLetters: number;
  duplicates: number;
}

/** Opens the warehouse, syncs the catalog dimensions, publishes the lake and starts consuming. */
/** `lastWriteError` is the error of the last batch while writes fail (disk full, read-only), undefined once one succeeds. */
export async function startLoad(options: LoadOptions): Promise<{ runner: Runner; stats: LoadStats; warehouse: Warehouse; lastWriteError(): unknown }> {
  const { bus, topics } = options;
  const settings = LoadConfig.parse(options.settings ?? {});
  const log = options.logger.child({ stage: "load" });
  const groupId = options.groupId ?? `${topics.prefix}-load`;
  const warehouse = await openWarehouse(options.warehousePath);
  const { connection } = warehouse;
  await syncCatalog(connection, options.catalog);
  const serial = createSerial();
  const lake = settings.lake && options.warehousePath !== ":memory:" ? await startLake(warehouse, options, settings, serial, log) : undefined;
  const stats: LoadStats = { batches: 0, observations: 0, deadLetters: 0, duplicates: 0 };
  const dlqTopics = [topics.dlqIngest, topics.dlqTransform];
  // In process a transaction costs the same fixed time whatever its size, and there are no positions to resume from.
  const maxBatch = bus.kind === "embedded" ? Math.max(settings.maxBatch, EMBEDDED_MIN_BATCH) : settings.maxBatch;
  await bus.ensureTopics([topics.observations, ...dlqTopics]);

  let writeError: unknown;
  const handle = (batch: Delivered[], positions: PartitionPosition[]) =>
    serial.run(async () => {
      try {
        for (const part of splitBatch(batch, positions, maxBatch)) {
          const { observations, deadLetters } = decodeBatch(part.batch, topics);
          const written = await writeBatch(connection, groupId, observations, deadLetters, part.positions);
          stats.batches++;
          stats.observations += written.observations;
          stats.deadLetters += written.deadLetters;
          stats.duplicates += part.batch.length - written.observations - written.deadLetters;
          log.debug({ rows: part.batch.length, observations: written.observations, deadLetters: written.deadLetters, positions: part.positions }, "batch loaded");
        }
        writeError = undefined;
      } catch (err) {
        // Rows and positions commit together, so nothing of the failed part is in the warehouse; the bus delivers it again.
        writeError = err;
        log.error({ err, rows: batch.length }, "batch not written to the warehouse; retrying");
        throw err;
      }
      await lake?.afterBatch();
    });
  const consumer = await bus.runSink({ groupId, topics: [topics.observations, ...dlqTopics], storedPositions: () => storedPositions(connection, groupId), handle, ...(settings.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: settings.sessionTimeoutMs }) });
  const runner: Runner = {
    idle: () => consumer.idle(),
    stop: async () => {
      await consumer.stop();
      await lake?.stop();
    },
  };
  return { runner, stats, warehouse, lastWriteError: () => writeError };
}

function startLake(warehouse: Warehouse, options: LoadOptions, settings: LoadConfig, serial: Serial, log: Logger): Promise<LakePublisher> {
  const { lakeDir, biPath } = lakePaths(options.dataDir ?? dirname(warehouse.path));
  return startLakePublisher({
    connection: warehouse.connection,
    lakeDir,
    biPath,
    lakeRef: settings.biLakePath ?? lakeDir,
    intervalMs: settings.parquetIntervalMs,
    serial,
    logger: log,
  });
}
