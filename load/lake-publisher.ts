import { dirname } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { PipelineError } from "../runtime/errors.ts";
import type { Logger } from "../runtime/logger.ts";
import { removeStaleTemps } from "./atomic-file.ts";
import { readBiDefinition, writeBiDatabase } from "./bi-database.ts";
import { exportMarkedParts, markMissingParts, writeEmptyFactPartition } from "./parquet-export.ts";
import { startEarlyExport, type EarlyExport } from "./lake-background.ts";
import { pruneLakeVersions } from "./lake-versions.ts";
import type { Serial } from "./serial.ts";

export interface LakePublisherOptions {
  connection: DuckDBConnection;
  lakeDir: string;
  biPath: string;
  /** The lake folder as bi.duckdb's views name it. */
  lakeRef: string;
  /** 0: export after every batch; otherwise at most this often; "on-stop": once, when the loader stops (a one-shot run). */
  intervalMs: number | "on-stop";
  /**
   * True while deliveries are arriving back to back: an interval export then waits for the input to pause, as long
   * as the lake is not older than `maxStaleMs`. Each export rewrites whole year partitions and holds the loader, so
   * exporting in the middle of a burst slowed the warehouse (the truth) for a lake that was stale again at once.
   */
  busy?: () => boolean;
  /** The longest a busy loader leaves the lake behind the warehouse (default 30 s). */
  maxStaleMs?: number;
  serial: Serial;
  logger: Logger;
  /**
   * With "on-stop": a second connection to the warehouse, on which the small tables and bi.duckdb are written while
   * the loader starts and merges (lake-background.ts), so that less is left for the end, and which exports
   * partitions beside the writer's connection at stop. Closed when it stops.
   */
  backgroundConnection?: DuckDBConnection;
}

const DEFAULT_MAX_STALE_MS = 30_000;

/** Keeps the Parquet lake and bi.duckdb in step with the warehouse. */
export interface LakePublisher {
  /**
   * Called inside the serial section after each committed batch, with the small tables' marks it set (lakeMarkKey:
   * the quarantine's, when it added dead letters), which an early export must not clear.
   */
  afterBatch(marked?: readonly string[]): Promise<void>;
  /** A last export; later batches are no longer published. Rejects when it fails, so a one-shot run exits 1. */
  stop(): Promise<void>;
}

/**
 * Exports what a crash left marked and what the lake lacks, writes bi.duckdb once, then publishes changes on every
 * batch or interval. bi.duckdb is not rewritten for new data: its views name lake paths that exist from the start.
 * A failed export is logged and retried: the warehouse is the truth and the marks remain.
 */
export async function startLakePublisher(o: LakePublisherOptions): Promise<LakePublisher> {
  const log = o.logger.child({ component: "lake" });
  let biWritten = false;
  /** A one-shot run's small tables and bi.duckdb, written while it loads (lake-background.ts). */
  let early: EarlyExport | undefined;
  /** The export at stop also writes on the second connection: nothing else uses it then. */
  const more = o.backgroundConnection ? [o.backgroundConnection] : [];
  let stopping = false;
  let queued = false;
  /** When the last export ended and how long it took: exports get at most a fifth of the loader's time. */
  let lastEnd = 0;
  let lastTook = 0;

  /** Superseded lake versions past their grace (lake-versions.ts); a failure costs disk only, so it is logged. */
  function prune(): void {
    try {
      const removed = pruneLakeVersions(o.lakeDir);
      if (removed > 0) log.debug({ files: removed }, "superseded lake versions removed");
    } catch (err) {
      log.warn({ err, lakeDir: o.lakeDir }, "removing superseded lake versions failed");
    }
  }

  /** Returns the error of a failed export, undefined when everything is published. */
  async function publish(): Promise<unknown> {
    const start = Date.now();
    let failure: unknown;
    try {
      const parts = await exportMarkedParts(o.connection, o.lakeDir, stopping ? more : []);
      const exported = Date.now();
      if (!biWritten) {
        await writeEmptyFactPartition(o.connection, o.lakeDir);
        await writeBiDatabase(o.biPath, await readBiDefinition(o.connection, o.lakeRef));
        biWritten = true;
        log.info({ biPath: o.biPath, lake: o.lakeRef, ms: Date.now() - exported }, "bi.duckdb written");
      }
      if (parts.length > 0)
        log.debug({ parts: parts.map((p) => `${p.table}/${p.part}`), ms: exported - start }, "lake exported");
    } catch (err) {
      failure = err;
      log.error({ err, lakeDir: o.lakeDir }, "lake export failed");
    }
    lastEnd = Date.now();
    lastTook = lastEnd - start;
    return failure;
  }

  await o.serial.run(async () => {
    const stale =
      removeStaleTemps(o.lakeDir, { recursive: true }) + removeStaleTemps(dirname(o.biPath), { recursive: false });
    if (stale > 0) log.info({ files: stale }, "stale temporary files removed");
    prune();
    await markMissingParts(o.connection, o.lakeDir);
    if (o.intervalMs !== "on-stop") await publish();
    else if (o.backgroundConnection) {
      const { lakeDir, biPath, lakeRef, serial, logger } = o;
      early = await startEarlyExport({ connection: o.backgroundConnection, lakeDir, biPath, lakeRef, serial, logger });
    }
  });

  const timer =
    typeof o.intervalMs === "number" && o.intervalMs > 0
      ? setInterval(() => {
          prune();
          // A year partition is rewritten whole: while a big load keeps marking it, exporting on every tick would
          // make the loader's work grow with the square of the rows.
          if (queued || Date.now() - lastEnd < 4 * lastTook) return;
          if (o.busy?.() && Date.now() - lastEnd < (o.maxStaleMs ?? DEFAULT_MAX_STALE_MS)) return;
          queued = true;
          void o.serial.run(async () => {
            queued = false;
            await publish();
          });
        }, o.intervalMs)
      : undefined;
  timer?.unref();

  return {
    afterBatch: async (marked = []) => {
      early?.afterMerge(marked);
      if (o.intervalMs === 0) await publish();
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      if (early) biWritten = (await early.finish()) || biWritten;
      stopping = true;
      const failure = await o.serial.run(publish);
      prune();
      o.backgroundConnection?.closeSync();
      if (failure !== undefined)
        throw new PipelineError(`publishing the lake and ${o.biPath} failed; the previous files are kept`, {
          cause: failure,
        });
    },
  };
}
