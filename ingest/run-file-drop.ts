import { existsSync, mkdirSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { Bus } from "../bus/index.ts";
import type { DeadLetter, FeedSpec, TopicNames } from "../schemas/index.ts";
import type { Logger } from "../runtime/logger.ts";
import { errorMessage } from "../runtime/errors.ts";
import { archiveFile, describeFile, listDropFiles } from "./connectors/file-drop.ts";
import { produceSource } from "./produce-source.ts";
import type { StateStore } from "./state-store.ts";

export interface FeedRunStats {
  feed: string;
  files: number;
  duplicates: number;
  records: number;
  rejected: number;
  failedFiles: number;
}

export interface FileDropDeps {
  bus: Bus;
  topics: TopicNames;
  dropRoot: string;
  state: StateStore;
  logger: Logger;
  now: () => Date;
}

export function dropFolderOf(spec: FeedSpec, dropRoot: string): string {
  if (spec.connector.kind !== "file-drop") throw new Error(`feed ${spec.id} is not a file-drop feed`);
  return isAbsolute(spec.connector.path) ? spec.connector.path : resolve(dropRoot, spec.connector.path);
}

/** Processes every file waiting in one feed's drop folder, once. A file already produced (same checksum) is not produced again. */
export async function runFileDropOnce(spec: FeedSpec, deps: FileDropDeps): Promise<FeedRunStats> {
  if (spec.connector.kind !== "file-drop") throw new Error(`feed ${spec.id} is not a file-drop feed`);
  const log = deps.logger.child({ feed: spec.id });
  const root = dropFolderOf(spec, deps.dropRoot);
  if (!existsSync(root)) mkdirSync(root, { recursive: true });
  const stats: FeedRunStats = { feed: spec.id, files: 0, duplicates: 0, records: 0, rejected: 0, failedFiles: 0 };
  const state = deps.state.load(spec.id);
  for (const file of listDropFiles(root, spec.connector)) {
    stats.files++;
    if (file.problem) {
      await deadLetterFile(spec, file.uri, file.problem, deps);
      archiveFile(root, file.path, "failed", file.problem);
      stats.failedFiles++;
      log.warn({ file: file.uri, reason: file.problem }, "file refused");
      continue;
    }
    try {
      const unit = await describeFile(file.path, file.uri);
      const seen = state.sources[unit.checksum];
      if (seen) {
        stats.duplicates++;
        archiveFile(root, file.path, "processed");
        log.info({ file: file.uri, sameAs: seen.uri }, "file already produced; skipped");
        continue;
      }
      const outcome = await produceSource(spec, unit, deps.bus, deps.topics, deps.now);
      stats.records += outcome.records;
      stats.rejected += outcome.rejected;
      state.sources[unit.checksum] = { uri: unit.uri, at: deps.now().toISOString(), records: outcome.records, rejected: outcome.rejected };
      deps.state.save(spec.id, state);
      const failed = outcome.fatal ?? (outcome.records === 0 ? "no readable record in the file; see the ingest dead letters" : undefined);
      archiveFile(root, file.path, failed ? "failed" : "processed", failed);
      if (failed) stats.failedFiles++;
      log.info({ file: file.uri, records: outcome.records, rejected: outcome.rejected }, failed ? "file failed" : "file produced");
    } catch (err) {
      const reason = `could not read the file: ${errorMessage(err)}`;
      await deadLetterFile(spec, file.uri, reason, deps);
      archiveFile(root, file.path, "failed", reason);
      stats.failedFiles++;
      log.error({ file: file.uri, err }, "file failed");
    }
  }
  return stats;
}

async function deadLetterFile(spec: FeedSpec, uri: string, reason: string, deps: FileDropDeps): Promise<void> {
  const letter: DeadLetter = { stage: "ingest", feed: spec.id, source: { feed: spec.id, uri, position: {} }, payload: null, reasons: [{ code: "file_rejected", message: reason }], at: deps.now().toISOString() };
  await deps.bus.publish(deps.topics.dlqIngest, [{ key: `${spec.id}|${uri}`, value: letter }]);
}
