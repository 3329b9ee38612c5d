import { existsSync, mkdirSync } from "node:fs";
import type { Bus } from "../../bus/index.ts";
import { needsPseudonymKey, type Catalog, type RecordFeedSpec, type TopicNames } from "../../schemas/index.ts";
import type { Logger } from "../../runtime/logger.ts";
import { readPseudonymKey } from "../../runtime/pseudonym-key.ts";
import { createStateStore } from "../state-store.ts";
import {
  archiveFile,
  describeFile,
  listDropFiles,
  removeMarker,
  resolveDropFolder,
  settleRemainingMs,
} from "../connectors/drop-folder.ts";
import { produceRecordFile, refusedFile } from "./produce-record-file.ts";
import { createPseudonymiser, type Pseudonymiser } from "./pseudonymise.ts";

export interface RecordIngestOptions {
  specs: readonly RecordFeedSpec[];
  bus: Bus;
  topics: TopicNames;
  catalog: Catalog;
  dropRoot: string;
  stateDir: string;
  logger: Logger;
  /** Where the pseudonymisation key is read from (GONGFU_PSEUDONYM_KEY or GONGFU_PSEUDONYM_KEY_FILE). */
  env: Readonly<Record<string, string | undefined>>;
  allowedRoots?: readonly string[];
  now?: () => Date;
  /**
   * Leave a file until it has gone this long without a write (a marker file makes it ready at once): a watching
   * daemon sees files while they are still being copied in. Unset, every file waiting is read, as `run` does.
   */
  settleMs?: number;
}

export interface RecordFeedRunStats {
  feed: string;
  files: number;
  duplicates: number;
  records: number;
  rejected: number;
  batches: number;
  /** Files refused whole (over limits.maxFileBytes), moved to failed/ with a reason and a dead letter. */
  refusedFiles: number;
  /** Files left for a later pass because they were still being written (settleMs). */
  pending: number;
}

const noKey = (): never => {
  throw new Error("a feed without identifier columns asked for a pseudonym");
};
const NO_KEY: Pseudonymiser = Object.assign(noKey, { many: async () => noKey(), close: async () => {} });

/**
 * Reads the files waiting in every record feed's drop folder once: records to `<prefix>.records.<feed>`, refused
 * records to the ingest dead-letter topic. A file produced before (same checksum) is archived without producing it
 * again. Fails before reading a file whose feed has identifiers to pseudonymise when no key is set.
 */
export async function runRecordIngestOnce(options: RecordIngestOptions): Promise<RecordFeedRunStats[]> {
  if (options.specs.length === 0) return [];
  // The key is read when the first file that needs it is about to be read: a deployment whose record feeds have
  // nothing waiting runs without one, and a missing key stops ingest before any record of such a file is read.
  let keyed: Pseudonymiser | undefined;
  const pseudonymiserFor = (spec: RecordFeedSpec) => {
    if (!needsPseudonymKey(spec)) return NO_KEY;
    keyed ??= createPseudonymiser(readPseudonymKey(options.env, [spec.id]));
    return keyed;
  };
  const log = options.logger.child({ stage: "ingest" });
  const now = options.now ?? (() => new Date());
  await options.bus.ensureTopics([...options.specs.map((s) => options.topics.records(s.id)), options.topics.dlqIngest]);
  mkdirSync(options.stateDir, { recursive: true });
  const state = createStateStore(options.stateDir);
  const results: RecordFeedRunStats[] = [];
  try {
    await readFeeds();
  } finally {
    // The pseudonymiser's worker thread, if a batch needed it, ends with the pass.
    await keyed?.close();
  }
  await options.bus.flush?.();
  state.flush();
  return results;

  async function readFeeds(): Promise<void> {
    for (const spec of options.specs) {
      const stats: RecordFeedRunStats = {
        feed: spec.id,
        files: 0,
        duplicates: 0,
        records: 0,
        rejected: 0,
        batches: 0,
        refusedFiles: 0,
        pending: 0,
      };
      results.push(stats);
      const folder = resolveDropFolder(spec.connector, options.dropRoot, options.allowedRoots);
      if (!folder.ok) {
        log.error({ feed: spec.id, reason: folder.reason }, "drop folder refused");
        continue;
      }
      if (!existsSync(folder.path)) continue;
      for (const file of listDropFiles(folder.path, spec.connector)) {
        if (file.problem !== undefined) {
          log.warn({ feed: spec.id, uri: file.uri, problem: file.problem }, "file refused");
          continue;
        }
        if (options.settleMs !== undefined && settleRemainingMs(file, options.settleMs, now().getTime()) > 0) {
          stats.pending++;
          continue;
        }
        if (file.size > spec.limits.maxFileBytes) {
          const reason = `the file has ${file.size} bytes, more than limits.maxFileBytes (${spec.limits.maxFileBytes})`;
          log.error({ feed: spec.id, uri: file.uri, bytes: file.size }, "record file refused: too large");
          await options.bus.publish(options.topics.dlqIngest, [
            refusedFile(spec.id, file.uri, { code: "file_too_large", message: reason }, now().toISOString()),
          ]);
          archiveFile(folder.path, file.path, "failed", reason);
          removeMarker(file.path);
          stats.refusedFiles++;
          continue;
        }
        const source = await describeFile(file.path, file.uri, file.mtimeMs);
        if (state.produced(spec.id, source.checksum)) {
          stats.duplicates++;
          archiveFile(folder.path, file.path, "processed");
          removeMarker(file.path);
          continue;
        }
        const pseudonymise = pseudonymiserFor(spec);
        const vintage = spec.vintage?.published ? `${spec.vintage.published}T00:00:00+08:00` : source.publishedAt;
        const produced = await produceRecordFile(
          spec,
          {
            uri: source.uri,
            checksum: source.checksum,
            vintage,
            open: source.open,
            ...(source.path === undefined ? {} : { path: source.path }),
          },
          { bus: options.bus, topics: options.topics, catalog: options.catalog, pseudonymise, now },
        );
        // Produced, then remembered: a crash between the two produces the file again, and the loader takes each batch once.
        state.recordSource(spec.id, source.checksum, {
          uri: source.uri,
          at: now().toISOString(),
          records: produced.records,
          rejected: produced.rejected,
        });
        archiveFile(folder.path, file.path, "processed");
        removeMarker(file.path);
        stats.files++;
        stats.records += produced.records;
        stats.rejected += produced.rejected;
        stats.batches += produced.batches;
        log.info(
          { feed: spec.id, uri: source.uri, records: produced.records, rejected: produced.rejected },
          "record file produced",
        );
      }
    }
  }
}
