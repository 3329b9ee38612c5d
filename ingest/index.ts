/**
 * Ingest: reads departmental feeds described by feed specs and produces their records, as the sources gave them,
 * to `gongfu.raw.<feed>`; unreadable parts go to `gongfu.dlq.ingest`. It never interprets values.
 * `runIngestOnce` polls every feed once; `startIngestDaemon` watches and polls until stopped.
 */
import { mkdirSync } from "node:fs";
import { CONNECTORS, connectorDeps, ingestTopics, type IngestOptions } from "./registry.ts";
import { acquireIngestLock } from "./ingest-lock.ts";
import { addStats, type FeedRunStats } from "./connectors/types.ts";

export type { Connector, ConnectorDeps, FeedRunStats, SourceUnit } from "./connectors/types.ts";
export { CONNECTORS, connectorDeps, ingestTopics, type IngestOptions } from "./registry.ts";
export { DONE_SUFFIX, resolveDropFolder } from "./connectors/drop-folder.ts";
export { readRows, type ParsedRow, type SourceInput } from "./formats/index.ts";
export { produceSource, type ProduceDeps, type SourceOutcome } from "./produce-source.ts";
export { detectEncoding, decodeStream } from "./formats/decode.ts";
export { acquireIngestLock } from "./ingest-lock.ts";
export { startIngestDaemon, type IngestDaemon, type IngestDaemonOptions } from "./daemon.ts";
export { validateSource, type ValidationProblem, type ValidationSummary } from "./validate-source.ts";

/** Polls of one feed in one run while files are still being written: each waits at most one settle time. */
const MAX_POLLS = 3;

/**
 * Polls every feed once (the files waiting, the pages changed) and returns per-feed counts. A feed whose files
 * were still being written is polled again, a few times, so a file dropped just before the run is read whole.
 */
export async function runIngestOnce(options: IngestOptions): Promise<FeedRunStats[]> {
  mkdirSync(options.stateDir, { recursive: true });
  const release = acquireIngestLock(options.stateDir);
  try {
    return await ingestEveryFeed(options);
  } finally {
    release();
  }
}

async function ingestEveryFeed(options: IngestOptions): Promise<FeedRunStats[]> {
  const deps = connectorDeps(options);
  await options.bus.ensureTopics(ingestTopics(options.specs, options.topics));
  const results: FeedRunStats[] = [];
  for (const spec of options.specs) {
    const connector = CONNECTORS[spec.connector.kind](spec, deps);
    try {
      let stats = await connector.poll();
      for (let n = 1; n < MAX_POLLS && stats.pending > 0; n++) stats = addStats(stats, await connector.poll());
      if (stats.pending > 0)
        deps.logger.warn({ feed: spec.id, files: stats.pending }, "files still being written; left for the next run");
      results.push(stats);
    } finally {
      await connector.close();
    }
  }
  // Dead letters for refused files and failed requests were published outside any source: commit them too.
  await options.bus.flush?.();
  deps.state.flush();
  return results;
}
export {
  runRecordIngestOnce,
  type RecordIngestOptions,
  type RecordFeedRunStats,
} from "./records/run-record-ingest.ts";
export {
  startRecordIngestDaemon,
  type RecordIngestDaemon,
  type RecordIngestDaemonOptions,
} from "./records/record-daemon.ts";
