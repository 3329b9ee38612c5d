import { startTransform } from "../../transform/index.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { createContext, type GlobalOptions } from "../context.ts";
import { watchSignals } from "../signals.ts";
import { startStageEndpoint } from "../metrics-endpoint.ts";
import { waitForBroker } from "../wait-for-broker.ts";

export interface TransformCommandOptions extends GlobalOptions {
  untilIdle?: boolean;
  groupId?: string;
  batchSize?: number;
  sessionTimeout?: number;
}

/** A stop that takes longer than this (a broker gone mid-commit) ends the process; the open transaction then times out. */
const SHUTDOWN_LIMIT_MS = 30_000;

export async function transformAction(opts: TransformCommandOptions): Promise<void> {
  // Watch signals before joining the group, so a SIGTERM during start-up still ends in a clean stop.
  const signals = watchSignals();
  try {
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
}
