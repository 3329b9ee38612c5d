import { startLoad } from "../../load/index.ts";
import type { Runner } from "../../bus/index.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { createContext, type GlobalOptions } from "../context.ts";
import { loadOptionsOf } from "../stage-options.ts";
import { untilSignal } from "../signals.ts";
import { startStageEndpoint } from "../metrics-endpoint.ts";
import { warehouseCheck } from "../readiness.ts";
import { brokerReachable } from "../wait-for-broker.ts";
import { readRecordSetup } from "../record-feeds.ts";
import { startRecordLoader } from "../record-loader.ts";

export interface LoadOptions extends GlobalOptions {
  untilIdle?: boolean;
  groupId?: string;
}

/** A consumer stage runs until SIGTERM/SIGINT, or with --until-idle until it has caught up. */
async function runUntilDone(runner: Runner, untilIdle: boolean | undefined): Promise<void> {
  if (untilIdle) await runner.idle();
  else await untilSignal();
  await runner.stop();
}

export async function loadAction(opts: LoadOptions): Promise<void> {
  const ctx = createContext(opts);
  if (!ctx.brokers) throw new ConfigError("gongfu load needs Kafka (--kafka or KAFKA_BROKERS)");
  const bus = ctx.createBus();
  // The endpoint comes first, so a daemon waiting for its broker already answers /readyz (503).
  const endpoint = await startStageEndpoint(ctx, {
    daemon: !opts.untilIdle,
    groups: [opts.groupId ?? `${ctx.topics.prefix}-load`],
    checks: [warehouseCheck(ctx.paths.warehouse)],
  });
  let load: Awaited<ReturnType<typeof startLoad>> | undefined;
  let records: Awaited<ReturnType<typeof startRecordLoader>>;
  try {
    // A daemon outlives a broker that is not up yet; a one-shot run fails with the reason instead.
    if (!opts.untilIdle && !(await brokerReachable(ctx))) return;
    load = await startLoad(loadOptionsOf(ctx, bus, opts.groupId ? { groupId: opts.groupId } : {}));
    // Record feeds (feeds/records/) load beside the observations, in a consumer group of their own.
    records = await startRecordLoader(ctx, bus, readRecordSetup(ctx), opts.groupId && `${opts.groupId}-records`);
    const { lastWriteError } = load;
    endpoint.addCheck({
      name: "warehouse-writes",
      check: async () => {
        const err = lastWriteError();
        if (err !== undefined) throw err;
      },
    });
    await Promise.all([
      runUntilDone(load.runner, opts.untilIdle),
      records && runUntilDone(records.runner, opts.untilIdle),
    ]);
    ctx.logger.info({ stats: load.stats, records: records?.stats }, "load stopped");
  } finally {
    await endpoint.close();
    await bus.close();
    records?.warehouse.close();
    load?.warehouse.close();
  }
}
