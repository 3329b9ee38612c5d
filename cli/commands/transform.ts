import { InvalidArgumentError, type Command } from "commander";
import { startTransform } from "../../transform/index.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { createContext, type GlobalOptions } from "../context.ts";
import { watchSignals } from "../signals.ts";
import { startStageEndpoint } from "../metrics-endpoint.ts";
import { waitForBroker } from "../wait-for-broker.ts";

interface TransformCommandOptions extends GlobalOptions {
  untilIdle?: boolean;
  groupId?: string;
  batchSize?: number;
  sessionTimeout?: number;
}

/** A stop that takes longer than this (a broker gone mid-commit) ends the process; the open transaction then times out. */
const SHUTDOWN_LIMIT_MS = 30_000;

function positiveInt(min: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`expected a whole number of at least ${min}, got ${text}`);
    return n;
  };
}

export function registerTransform(program: Command): void {
  program
    .command("transform")
    .description(
      "normalise raw records to observations, exactly once (Kafka mode); SIGTERM/SIGINT commit the open batch and leave the group",
    )
    .option("--until-idle", "exit once caught up instead of running until SIGTERM")
    .option("--group-id <id>", "consumer group (default <prefix>-transform)")
    .option(
      "--batch-size <n>",
      "most raw records per Kafka transaction (default 20000, and at most 8 MiB of them)",
      positiveInt(1),
    )
    .option(
      "--session-timeout <ms>",
      "consumer-group session timeout: how soon a crashed instance's partitions move on (default 30000)",
      positiveInt(6000),
    )
    .addHelpText(
      "after",
      "\nRun several processes with distinct GONGFU_INSTANCE_ID values to share the partitions. " +
        "Prints its counts as JSON when it stops.\n\nExample:\n  gongfu transform --kafka 127.0.0.1:9092\n",
    )
    .action(async (_o: TransformCommandOptions, cmd: Command) => {
      // Watch signals before joining the group, so a SIGTERM during start-up still ends in a clean stop.
      const signals = watchSignals();
      try {
        const opts = cmd.optsWithGlobals<TransformCommandOptions>();
        const ctx = createContext(opts);
        if (!ctx.brokers) throw new ConfigError("gongfu transform needs Kafka (--kafka or KAFKA_BROKERS)");
        const bus = ctx.createBus();
        const endpoint = await startStageEndpoint(ctx, {
          daemon: !opts.untilIdle,
          groups: [opts.groupId ?? `${ctx.topics.prefix}-transform`],
        });
        try {
          const settings = ctx.kafkaSettings();
          // A daemon outlives a broker that is not up yet; a one-shot run fails with the reason instead.
          if (settings && !opts.untilIdle && !(await waitForBroker(settings, ctx.logger, signals.received))) return;
          const { runner, stats } = await startTransform({
            bus,
            topics: ctx.topics,
            specs: ctx.specs,
            catalog: ctx.catalog,
            logger: ctx.logger,
            ...(opts.groupId ? { groupId: opts.groupId } : {}),
            ...(opts.batchSize ? { maxTransactionRecords: opts.batchSize } : {}),
            ...(opts.sessionTimeout ? { sessionTimeoutMs: opts.sessionTimeout } : {}),
          });
          const reason = await Promise.race([
            signals.received,
            ...(opts.untilIdle ? [runner.idle().then(() => "idle" as const)] : []),
          ]);
          ctx.logger.info({ reason, stats }, "transform stopping");
          const limit = setTimeout(() => {
            ctx.logger.error({ limitMs: SHUTDOWN_LIMIT_MS }, "transform did not stop in time");
            process.exit(1);
          }, SHUTDOWN_LIMIT_MS).unref();
          await runner.stop();
          clearTimeout(limit);
          process.stdout.write(`${JSON.stringify(stats)}\n`);
          ctx.logger.info({ stats }, "transform stopped");
        } finally {
          await endpoint.close();
          await bus.close();
        }
      } finally {
        signals.dispose();
      }
    });
}
