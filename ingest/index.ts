/**
 * Ingest: reads departmental feeds described by feed specs and produces their records, as the sources gave them,
 * to `gongfu.raw.<feed>`; unreadable parts go to `gongfu.dlq.ingest`. It never interprets values.
 */
import type { Bus } from "../bus/index.ts";
import type { FeedSpec, TopicNames } from "../schemas/index.ts";
import type { Logger } from "../runtime/logger.ts";
import { createStateStore } from "./state-store.ts";
import { runFileDropOnce, type FeedRunStats } from "./run-file-drop.ts";

export type { FeedRunStats } from "./run-file-drop.ts";
export { dropFolderOf } from "./run-file-drop.ts";
export { readRows, type ParsedRow } from "./formats/index.ts";
export { detectEncoding, decodeStream } from "./formats/decode.ts";

export interface IngestOptions {
  specs: FeedSpec[];
  bus: Bus;
  topics: TopicNames;
  dropRoot: string;
  stateDir: string;
  logger: Logger;
  now?: () => Date;
}

/** The topics ingest writes to, so they can be created before anything is produced. */
export function ingestTopics(specs: FeedSpec[], topics: TopicNames): string[] {
  return [...specs.map((s) => topics.raw(s.id)), topics.dlqIngest];
}

/** Processes what is waiting in every feed, once, and returns per-feed counts. */
export async function runIngestOnce(options: IngestOptions): Promise<FeedRunStats[]> {
  const logger = options.logger.child({ stage: "ingest" });
  const state = createStateStore(options.stateDir);
  const deps = { bus: options.bus, topics: options.topics, dropRoot: options.dropRoot, state, logger, now: options.now ?? (() => new Date()) };
  await options.bus.ensureTopics(ingestTopics(options.specs, options.topics));
  const results: FeedRunStats[] = [];
  for (const spec of options.specs) {
    if (spec.connector.kind === "file-drop") results.push(await runFileDropOnce(spec, deps));
    else logger.warn({ feed: spec.id, connector: spec.connector.kind }, "connector kind not available yet; feed skipped");
  }
  return results;
}
