import type { DuckDBConnection } from "@duckdb/node-api";
import type { Logger } from "../runtime/logger.ts";
import { readBiDefinition, writeBiDatabase } from "./bi-database.ts";
import { FACT_TABLE, lakeMarkKey } from "./lake-layout.ts";
import { clearMark, exportPart, readMarks, writeEmptyFactPartition, type LakeMark } from "./parquet-export.ts";
import type { Serial } from "./serial.ts";

/**
 * What a one-shot run publishes once whatever it loads, written at its start instead of its end: the small tables
 * (dimensions, and the quarantine a crash or a replay left marked), the empty fact partition and bi.duckdb. It runs
 * on a second connection while ingest reads its first file, so it is no longer on the run's critical path. The
 * fact partitions stay for the end: exporting them while merges keep changing them wrote several of them twice, and
 * on a busy 2-core machine the extra work cost more than it saved (measured, docs/WAREHOUSE.md).
 */
export interface EarlyExport {
  /** Inside the serial section, after each committed merge, with the small tables' marks it set (lakeMarkKey). */
  afterMerge(marked: readonly string[]): void;
  /** Outside the serial section: waits for the early export, its marks cleared or kept; true if bi.duckdb is written. */
  finish(): Promise<boolean>;
}

export interface EarlyExportOptions {
  /** A connection of its own: it holds a read transaction while the writer's connection merges. */
  connection: DuckDBConnection;
  lakeDir: string;
  biPath: string;
  lakeRef: string;
  serial: Serial;
  logger: Logger;
}

/**
 * Call inside the serial section, before any merge. The marks and the tables are read in one transaction, so each
 * file holds a snapshot no older than the mark it answers. A merge that commits meanwhile may mark one of them again
 * (dead letters mark the quarantine): a mark is cleared, in the serial section where no merge runs, only if no merge
 * has marked its partition since, so a changed table stays marked and the export at stop writes it again.
 */
export async function startEarlyExport(o: EarlyExportOptions): Promise<EarlyExport> {
  const log = o.logger.child({ component: "lake" });
  /** The partitions a merge has marked since the snapshot. */
  const markedSince = new Set<string>();
  let marks: LakeMark[] = [];
  try {
    // The snapshot is taken by the first read, here in the serial section.
    await o.connection.run("BEGIN TRANSACTION");
    marks = (await readMarks(o.connection)).filter((m) => m.table !== FACT_TABLE);
  } catch (err) {
    log.warn({ err }, "early lake export failed; the export at stop writes everything");
    await o.connection.run("ROLLBACK").catch(() => {});
    return { afterMerge: () => {}, finish: async () => false };
  }

  async function run(): Promise<boolean> {
    const started = performance.now();
    const written: LakeMark[] = [];
    let biWritten = false;
    try {
      for (const m of marks) {
        await exportPart(o.connection, o.lakeDir, m);
        written.push(m);
      }
      const bi = performance.now();
      await writeEmptyFactPartition(o.connection, o.lakeDir);
      await writeBiDatabase(o.biPath, await readBiDefinition(o.connection, o.lakeRef));
      biWritten = true;
      log.info({ biPath: o.biPath, lake: o.lakeRef, ms: Math.round(performance.now() - bi) }, "bi.duckdb written");
    } catch (err) {
      // What is not written stays for the export at stop, which reports a failure that persists.
      log.warn({ err }, "early lake export failed; the export at stop writes the rest");
    } finally {
      await o.connection.run("ROLLBACK").catch(() => {});
    }
    await o.serial.run(async () => {
      for (const m of written) if (!markedSince.has(lakeMarkKey(m.table, m.part))) await clearMark(o.connection, m);
    });
    log.debug(
      { parts: written.map((p) => `${p.table}/${p.part}`), biWritten, ms: Math.round(performance.now() - started) },
      "lake exported early",
    );
    return biWritten;
  }

  const running = run();
  return {
    afterMerge(marked) {
      for (const k of marked) markedSince.add(k);
    },
    finish: () => running,
  };
}
