import { existsSync, lstatSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
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
  removeMarker,
  resolveDropFolder,
  settleRemainingMs,
  snapshotFile,
  type DropFile,
} from "./drop-folder.ts";
import { fileVintage } from "./file-vintage.ts";
import { emptyStats, type Connector, type ConnectorDeps, type FeedRunStats } from "./types.ts";

/** A file time this far ahead of our clock is a network share's skew, not a date in the future. */
const CLOCK_SKEW_MS = 60_000;
/** Where a settled file is copied before it is read, under the feed's folder (hidden, so never listed). */
const SCRATCH = ".reading";

/**
 * The file-drop connector: each poll reads the files waiting in the feed's folder (and subfolders), produces
 * them, and moves each to processed/ or failed/ (with a reason file). A file whose checksum was produced
 * before is not produced again, across restarts. A file is read only once it has gone the settle time
 * (`connector.settleSeconds`, else `settleMs`) without a write, or at once when a `x.csv.done` marker sits
 * beside it; what is read is a copy taken while the file did not change, so a writer that resumes never gets
 * half a file produced: a file that changed during the copy is left, whole, for the next poll.
 */
export function createFileDropConnector(spec: FeedSpec, deps: ConnectorDeps): Connector {
  if (spec.connector.kind !== "file-drop") throw new TypeError(`feed ${spec.id} is not a file-drop feed`);
  const connector = spec.connector;
  const log = deps.logger.child({ feed: spec.id, connector: "file-drop" });
  const folder = resolveDropFolder(connector, deps.dropRoot, deps.allowedRoots);
  let refusalSent = false;

  const deadLetterFile = async (uri: string, code: string, reason: string) => {
    await deps.bus.publish(deps.topics.dlqIngest, [
      ingestDeadLetter(spec, uri, {}, { code, message: reason }, deps.now().toISOString()),
    ]);
  };

  async function processFile(root: string, file: DropFile, stats: FeedRunStats): Promise<void> {
    if (!lstatSync(file.path, { throwIfNoEntry: false })) return; // taken away since it was listed (a dangling link still exists)
    stats.files++;
    const refuse = (key: string, reason: string) =>
      deps.state.recordSource(spec.id, key, {
        uri: file.uri,
        at: deps.now().toISOString(),
        records: 0,
        rejected: 0,
        refused: reason,
      });
    if (file.problem) {
      refuse(`refused:${file.uri}`, file.problem);
      await deadLetterFile(file.uri, "refused_file", file.problem);
      archiveFile(root, file.path, "failed", file.problem);
      removeMarker(file.path);
      stats.failedFiles++;
      stats.deadLetters++;
      log.warn({ file: file.uri, reason: file.problem }, "file refused");
      return;
    }
    let copy: ReturnType<typeof snapshotFile>;
    try {
      copy = snapshotFile(file, join(root, SCRATCH));
      if (!copy) {
        stats.files--;
        stats.pending++;
        log.info({ file: file.uri }, "file changed while it was read; nothing of it produced, read again later");
        return;
      }
      const vintage = fileVintage(spec, file.uri, copy.mtimeMs);
      const unit = await describeFile(copy.path, file.uri, Date.parse(vintage.at));
      if (vintage.from === "file-time")
        log.warn({ file: file.uri, vintage: vintage.at }, "vintage taken from the file's modification time");
      if (Date.parse(vintage.at) > deps.now().getTime() + CLOCK_SKEW_MS && !spec.vintageColumn) {
        const reason = `the file's vintage ${vintage.at} (from its ${vintage.from}) is later than its receipt`;
        await deadLetterFile(file.uri, "future_vintage", reason);
        refuse(unit.checksum, reason);
        archiveSettled(root, file, copy, reason);
        stats.failedFiles++;
        stats.deadLetters++;
        log.warn({ file: file.uri, vintage: vintage.at }, "file refused");
        return;
      }
      const seen = deps.state.produced(spec.id, unit.checksum);
      if (seen && seen.refused === undefined) {
        stats.duplicates++;
        archiveSettled(root, file, copy);
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
      const failed =
        outcome.fatal ??
        (outcome.records === 0 ? "no readable record in the file; see the ingest dead letters" : undefined);
      deps.state.recordSource(spec.id, unit.checksum, {
        uri: unit.uri,
        at: deps.now().toISOString(),
        records: outcome.records,
        rejected: outcome.rejected,
        ...(failed ? { refused: failed } : {}),
      });
      if (!archiveSettled(root, file, copy, failed)) {
        log.warn({ file: file.uri }, "file changed after it was read; it stays and will be read again whole");
        stats.pending++;
      } else if (failed) stats.failedFiles++;
      log.info(
        { file: file.uri, records: outcome.records, rejected: outcome.rejected },
        failed ? "file failed" : "file produced",
      );
    } catch (err) {
      const reason = `could not read the file: ${errorMessage(err)}`;
      await deadLetterFile(file.uri, "unreadable_file", reason);
      if (existsSync(file.path)) archiveFile(root, file.path, "failed", reason);
      removeMarker(file.path);
      stats.failedFiles++;
      stats.deadLetters++;
      log.error({ file: file.uri, err }, "file failed");
    } finally {
      if (copy) rmSync(copy.path, { force: true });
    }
  }

  /** Archives a file read from `copy` unless it changed since the copy (then false: it is read again later). */
  function archiveSettled(
    root: string,
    file: DropFile,
    copy: { size: number; mtimeMs: number },
    failed?: string,
  ): boolean {
    if (!isUnchanged({ ...file, size: copy.size, mtimeMs: copy.mtimeMs })) return false;
    archiveFile(root, file.path, failed ? "failed" : "processed", failed);
    removeMarker(file.path);
    return true;
  }

  /** The files ready to read: settled, or marked done; waits (at most one settle time) for those about to settle. */
  async function readyFiles(files: DropFile[], stats: FeedRunStats, signal?: AbortSignal): Promise<DropFile[]> {
    const settleMs = connector.settleSeconds === undefined ? (deps.settleMs ?? 0) : connector.settleSeconds * 1000;
    let candidates = files;
    // Files without their marker yet are not pending: nothing to wait for until the marker's event.
    if (connector.readyMarker === "required") candidates = files.filter((f) => f.marker || f.problem !== undefined);
    const now = Date.now();
    const waits = candidates.map((f) => settleRemainingMs(f, settleMs, now));
    const wait = Math.min(settleMs, Math.max(0, ...waits));
    if (wait > 0) {
      log.debug({ files: waits.filter((w) => w > 0).length, waitMs: wait }, "waiting for files to settle");
      await sleep(wait, undefined, signal ? { signal } : {}).catch(() => {});
    }
    const ready = candidates.filter((f, i) => waits[i] === 0 || (!signal?.aborted && isUnchanged(f)));
    stats.pending += candidates.length - ready.length;
    return ready;
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
      rmSync(join(root, SCRATCH), { recursive: true, force: true }); // copies a crash left behind
      const files = await readyFiles(listDropFiles(root, connector), stats, signal);
      for (const file of files) {
        if (signal?.aborted) break;
        await processFile(root, file, stats);
      }
      return stats;
    },
    close: async () => {},
  };
}
