/**
 * Ingest: reads departmental feeds described by feed specs and produces their records, as the sources gave them,
 * to `gongfu.raw.<feed>`; unreadable parts go to `gongfu.dlq.ingest`. It never interprets values.
 * `runIngestOnce` polls every feed once; `startIngestDaemon` watches and polls until stopped.
 */
import { CONNECTORS, connectorDeps, ingestTopics, type IngestOptions } from "./registry.ts";
import type { FeedRunStats } from "./connectors/types.ts";

export type { Connector, ConnectorDeps, FeedRunStats, SourceUnit } from "./connectors/types.ts";
export { CONNECTORS, connectorDeps, ingestTopics, type IngestOptions } from "./registry.ts";
export { resolveDropFolder } from "./connectors/drop-folder.ts";
export { readRows, type ParsedRow, type SourceInput } from "./formats/index.ts";
export { detectEncoding, decodeStream } from "./formats/decode.ts";
export { startIngestDaemon, type IngestDaemon, type IngestDaemonOptions } from "./daemon.ts";
export { validateSource, type ValidationProblem, type ValidationSummary } from "./validate-source.ts";

/** Polls every feed once (the files waiting, the pages changed) and returns per-feed counts. */
export async function runIngestOnce(options: IngestOptions): Promise<FeedRunStats[]> {
  const deps = connectorDeps(options);
  await options.bus.ensureTopics(ingestTopics(options.specs, options.topics));
  const results: FeedRunStats[] = [];
  for (const spec of options.specs) {
    const connector = CONNECTORS[spec.connector.kind](spec, deps);
    try {
      results.push(await connector.poll());
    } finally {
      await connector.close();
    }
  }
  // Dead letters for refused files and failed requests were published outside any source: commit them too.
  await options.bus.flush?.();
  return results;
}
