import { runIngestOnce, startIngestDaemon, startRecordIngestDaemon } from "../../ingest/index.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { createContext, type GlobalOptions } from "../context.ts";
import { ingestOptionsOf } from "../stage-options.ts";
import { startStageEndpoint } from "../metrics-endpoint.ts";
import { untilSignal } from "../signals.ts";
import { brokerReachable } from "../wait-for-broker.ts";
import { failOnRefusedSources } from "../refused-files.ts";
import { readRecordSetup } from "../record-feeds.ts";
import { ingestRecordsOnce, recordIngestOptions } from "../record-ingest.ts";

export interface IngestCommandOptions extends GlobalOptions {
  watch?: boolean;
  rescanSeconds: number;
  settleMs?: number;
}

export async function ingestAction(opts: IngestCommandOptions): Promise<void> {
  const ctx = createContext(opts);
  if (!ctx.brokers)
    throw new ConfigError(
      "gongfu ingest alone needs Kafka (--kafka or KAFKA_BROKERS); use gongfu run for embedded mode",
      { hint: "e.g. --kafka 127.0.0.1:9092" },
    );
  // Record feeds (feeds/records/) are read beside the observation feeds, as `run` does; a bad spec stops here.
  const records = readRecordSetup(ctx);
  const bus = ctx.createBus();
  const options = ingestOptionsOf(ctx, bus, opts.settleMs === undefined ? {} : { settleMs: opts.settleMs });
  try {
    if (!opts.watch) {
      const stats = await runIngestOnce(options);
      const recordStats = await ingestRecordsOnce(ctx, bus, records);
      process.stdout.write(`${JSON.stringify([...stats, ...recordStats.map((r) => ({ kind: "records", ...r }))])}\n`);
      failOnRefusedSources(stats);
      return;
    }
    const endpoint = await startStageEndpoint(ctx, { daemon: true });
    try {
      if (!(await brokerReachable(ctx))) return;
      const rescanMs = Math.max(1, opts.rescanSeconds) * 1000;
      const daemon = await startIngestDaemon({ ...options, rescanMs });
      const recordDaemon =
        records.specs.length === 0
          ? undefined
          : await startRecordIngestDaemon({
              ...recordIngestOptions(ctx, bus, records, process.env),
              settleMs: options.settleMs ?? 1000,
              rescanMs,
            });
      const signal = await untilSignal();
      ctx.logger.info({ signal }, "ingest stopping");
      const totals = await daemon.stop();
      const recordTotals = (await recordDaemon?.stop()) ?? [];
      process.stdout.write(`${JSON.stringify([...totals, ...recordTotals.map((r) => ({ kind: "records", ...r }))])}\n`);
    } finally {
      await endpoint.close();
    }
  } finally {
    await bus.close();
  }
}
