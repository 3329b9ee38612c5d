import { InvalidArgumentError, type Command } from "commander";
import { runIngestOnce, startIngestDaemon, startRecordIngestDaemon, type IngestOptions } from "../../ingest/index.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { createContext, type GlobalOptions } from "../context.ts";
import { startStageEndpoint } from "../metrics-endpoint.ts";
import { untilSignal } from "../signals.ts";
import { brokerReachable } from "../wait-for-broker.ts";
import { failOnRefusedSources } from "../refused-files.ts";
import { readRecordSetup } from "../record-feeds.ts";
import { ingestRecordsOnce, recordIngestOptions } from "../record-stages.ts";

interface IngestCommandOptions extends GlobalOptions {
  watch?: boolean;
  rescanSeconds: number;
  settleMs?: number;
}

function nonNegative(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number of at least 0, got ${text}`);
  return n;
}

export function registerIngest(program: Command): void {
  program
    .command("ingest")
    .description(
      "produce the files waiting in the drop folders and the new pages of HTTP feeds to the raw " +
        "topics (Kafka mode); with --watch, keep watching and polling",
    )
    .option(
      "--watch",
      "run as a daemon: watch every drop folder and poll HTTP feeds on their pollSeconds until SIGTERM/SIGINT",
    )
    .option(
      "--rescan-seconds <n>",
      "with --watch: rescan every drop folder this often, in case a file event was missed",
      nonNegative,
      30,
    )
    .option(
      "--settle-ms <n>",
      "read a dropped file once it has not changed for this long (default: ingest.settleSeconds, 60 s)",
      nonNegative,
    )
    .addHelpText(
      "after",
      "\nHTTP header values come from the environment variables a feed spec names (headersFromEnv); they are never logged.\n" +
        "Prints the per-feed counts as JSON when it finishes (without --watch) or stops (with --watch).\n\n" +
        "Examples:\n  KAFKA_BROKERS=127.0.0.1:9092 gongfu ingest            what is waiting now, " +
        "then exit\n  gongfu ingest --kafka 127.0.0.1:9092 --watch          a daemon until SIGTERM\n",
    )
    .action(async (_o: IngestCommandOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<IngestCommandOptions>();
      const ctx = createContext(opts);
      if (!ctx.brokers)
        throw new ConfigError(
          "gongfu ingest alone needs Kafka (--kafka or KAFKA_BROKERS); use gongfu run for embedded mode",
          { hint: "e.g. --kafka 127.0.0.1:9092" },
        );
      // Record feeds (feeds/records/) are read beside the observation feeds, as `run` does; a bad spec stops here.
      const records = readRecordSetup(ctx);
      const bus = ctx.createBus();
      const options: IngestOptions = {
        specs: ctx.specs,
        bus,
        topics: ctx.topics,
        dropRoot: ctx.paths.dropDir,
        stateDir: ctx.paths.stateDir,
        logger: ctx.logger,
        env: process.env,
        settleMs: opts.settleMs ?? ctx.config.ingest.settleSeconds * 1000,
        allowedRoots: ctx.config.ingest.allowedRoots,
      };
      try {
        if (!opts.watch) {
          const stats = await runIngestOnce(options);
          const recordStats = await ingestRecordsOnce(ctx, bus, records);
          process.stdout.write(
            `${JSON.stringify([...stats, ...recordStats.map((r) => ({ kind: "records", ...r }))])}\n`,
          );
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
          process.stdout.write(
            `${JSON.stringify([...totals, ...recordTotals.map((r) => ({ kind: "records", ...r }))])}\n`,
          );
        } finally {
          await endpoint.close();
        }
      } finally {
        await bus.close();
      }
    });
}
