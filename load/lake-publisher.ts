import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Logger } from "../runtime/logger.ts";
import { removeStaleTemps } from "./atomic-file.ts";
import { readBiDefinition, writeBiDatabase } from "./bi-database.ts";
import { FACT_TABLE, PARTITION_FILE } from "./lake-layout.ts";
import { exportMarkedParts, markMissingParts } from "./parquet-export.ts";
import type { Serial } from "./serial.ts";

export interface LakePublisherOptions {
  connection: DuckDBConnection;
  lakeDir: string;
  biPath: string;
  /** The lake folder as bi.duckdb's views name it. */
  lakeRef: string;
  /** 0: export after every batch; otherwise at most this often; "on-stop": once, when the loader stops (a one-shot run). */
  intervalMs: number | "on-stop";
  serial: Serial;
  logger: Logger;
}

/** Keeps the Parquet lake and bi.duckdb in step with the warehouse. */
export interface LakePublisher {
  /** Called inside the serial section after each committed batch. */
  afterBatch(): Promise<void>;
  /** A last export; later batches are no longer published. */
  stop(): Promise<void>;
}

function hasFactFiles(lakeDir: string): boolean {
  const dir = join(lakeDir, FACT_TABLE);
  if (!existsSync(dir)) return false;
  return readdirSync(dir).some((d) => d.startsWith("year=") && existsSync(join(dir, d, PARTITION_FILE)));
}

/**
 * Exports what a crash left marked and what the lake lacks, writes bi.duckdb, then publishes changes on every
 * batch or interval. A failed export is logged and retried: the warehouse is the truth and the marks remain.
 */
export async function startLakePublisher(o: LakePublisherOptions): Promise<LakePublisher> {
  const log = o.logger.child({ component: "lake" });
  let biWithFacts: boolean | undefined;
  let queued = false;
  /** When the last export ended and how long it took: exports get at most a fifth of the loader's time. */
  let lastEnd = 0;
  let lastTook = 0;

  async function publish(): Promise<void> {
    const start = Date.now();
    try {
      const parts = await exportMarkedParts(o.connection, o.lakeDir);
      const hasFacts = biWithFacts === true || hasFactFiles(o.lakeDir);
      // bi.duckdb changes only when its views must: at start, and when the first fact partition appears.
      if (biWithFacts !== hasFacts) {
        await writeBiDatabase(o.biPath, await readBiDefinition(o.connection, o.lakeRef, hasFacts));
        biWithFacts = hasFacts;
        log.info({ biPath: o.biPath, lake: o.lakeRef }, "bi.duckdb written");
      }
      if (parts.length > 0) log.debug({ parts: parts.map((p) => `${p.table}/${p.part}`) }, "lake exported");
    } catch (err) {
      log.error({ err, lakeDir: o.lakeDir }, "lake export failed");
    }
    lastEnd = Date.now();
    lastTook = lastEnd - start;
  }

  await o.serial.run(async () => {
    const stale =
      removeStaleTemps(o.lakeDir, { recursive: true }) + removeStaleTemps(dirname(o.biPath), { recursive: false });
    if (stale > 0) log.info({ files: stale }, "stale temporary files removed");
    await markMissingParts(o.connection, o.lakeDir);
    if (o.intervalMs !== "on-stop") await publish();
  });

  const timer =
    typeof o.intervalMs === "number" && o.intervalMs > 0
      ? setInterval(() => {
          // A year partition is rewritten whole: while a big load keeps marking it, exporting on every tick would
          // make the loader's work grow with the square of the rows.
          if (queued || Date.now() - lastEnd < 4 * lastTook) return;
          queued = true;
          void o.serial.run(async () => {
            queued = false;
            await publish();
          });
        }, o.intervalMs)
      : undefined;
  timer?.unref();

  return {
    afterBatch: async () => {
      if (o.intervalMs === 0) await publish();
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      await o.serial.run(publish);
    },
  };
}
