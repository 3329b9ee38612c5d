import { existsSync, lstatSync, mkdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { FeedSpec } from "../../schemas/index.ts";
import { errorMessage } from "../../runtime/errors.ts";
import { ingestDeadLetter } from "../dead-letters.ts";
import { produceSource } from "../produce-source.ts";
import {
  archiveFile,
  describeFile,
  isUnchanged,
  listDropFiles,
  resolveDropFolder,
  type DropFile,
} from "./drop-folder.ts";
import { emptyStats, type Connector, type ConnectorDeps, type FeedRunStats } from "./types.ts";

/**
 * The file-drop connector: each poll reads the files waiting in the feed's folder (and subfolders), produces
 * them, and moves each to processed/ or failed/ (with a reason file). A file whose checksum was produced
 * before is not produced again, across restarts. With `settleMs` (daemon mode) a file is read only once its
 * size and time have stayed the same for that long, so a file still being copied in is left for later.
 */
export function createFileDropConnector(spec: FeedSpec, deps: ConnectorDeps): Connector {
  if (spec.connector.kind !== "file-drop") throw new TypeError(`feed ${spec.id} is not a file-drop feed`);
  const connector = spec.connector;
  const log = deps.logger.child({ feed: spec.id, connector: "file-drop" });
  const folder = resolveDropFolder(connector, deps.dropRoot);
  let refusalSent = false;

  const deadLetterFile = async (uri: string, code: string, reason: string) => {
    await deps.bus.publish(deps.topics.dlqIngest, [
      ingestDeadLetter(spec, uri, {}, { code, message: reason }, deps.now().toISOString()),
    ]);
  };

  async function processFile(root: string, file: DropFile, stats: FeedRunStats): Promise<void> {
    if (!lstatSync(file.path, { throwIfNoEntry: false })) return; // taken away since it was listed (a dangling link still exists)
    const state = deps.state.load(spec.id);
    stats.files++;
    if (file.problem) {
      await deadLetterFile(file.uri, "refused_file", file.problem);
      archiveFile(root, file.path, "failed", file.problem);
      stats.failedFiles++;
      stats.deadLetters++;
      log.warn({ file: file.uri, reason: file.problem }, "file refused");
      return;
    }
    try {
      const unit = await describeFile(file.path, file.uri);
      const seen = state.sources[unit.checksum];
      if (seen) {
        stats.duplicates++;
        archiveFile(root, file.path, "processed");
        log.info({ file: file.uri, sameAs: seen.uri }, "file already produced; skipped");
        return;
      }
      const outcome = await produceSource(spec, unit, {
        bus: deps.bus,
        topics: deps.topics,
        now: deps.now,
        logger: log,
      });
      stats.records += outcome.records;
      stats.rejected += outcome.rejected;
      stats.deadLetters += outcome.deadLetters;
      state.sources[unit.checksum] = {
        uri: unit.uri,
        at: deps.now().toISOString(),
        records: outcome.records,
        rejected: outcome.rejected,
      };
      deps.state.save(spec.id, state);
      const failed =
        outcome.fatal ??
        (outcome.records === 0 ? "no readable record in the file; see the ingest dead letters" : undefined);
      archiveFile(root, file.path, failed ? "failed" : "processed", failed);
      if (failed) stats.failedFiles++;
      log.info(
        { file: file.uri, records: outcome.records, rejected: outcome.rejected },
        failed ? "file failed" : "file produced",
      );
    } catch (err) {
      const reason = `could not read the file: ${errorMessage(err)}`;
      await deadLetterFile(file.uri, "unreadable_file", reason);
      if (existsSync(file.path)) archiveFile(root, file.path, "failed", reason);
      stats.failedFiles++;
      stats.deadLetters++;
      log.error({ file: file.uri, err }, "file failed");
    }
  }

  return {
    kind: "file-drop",
    feed: spec.id,
    async poll(signal) {
      const stats = emptyStats(spec.id);
      if (!folder.ok) {
        if (!refusalSent) {
          await deadLetterFile(connector.path, "refused_folder", folder.reason);
          stats.deadLetters++;
          stats.failedFiles++;
          log.error({ path: connector.path, reason: folder.reason }, "drop folder refused");
        }
        refusalSent = true;
        return stats;
      }
      const root = folder.path;
      if (!existsSync(root)) mkdirSync(root, { recursive: true });
      let files = listDropFiles(root, connector);
      if (deps.settleMs && files.length > 0) {
        await sleep(deps.settleMs, undefined, signal ? { signal } : {}).catch(() => {});
        const settled = files.filter((f) => f.problem !== undefined || isUnchanged(f));
        stats.pending = files.length - settled.length;
        files = settled;
      }
      for (const file of files) {
        if (signal?.aborted) break;
        await processFile(root, file, stats);
      }
      return stats;
    },
    close: async () => {},
  };
}
