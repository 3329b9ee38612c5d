import { openWarehouse } from "../../load/index.ts";
import {
  canonicalInstant,
  configHash,
  ensureEvalTables,
  hasSucceededRun,
  lastEvaluationRuns,
  mergeEvalConfig,
  resolveEvalConfig,
  runEvaluation,
} from "../../evaluate/index.ts";
import { createScheduler, DEFAULT_RETRY, systemClock, type Clock, type MonthOutcome } from "../schedule/index.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { createContext, type CommandContext, type GlobalOptions } from "../context.ts";
import { startStageEndpoint } from "../metrics-endpoint.ts";
import { watchSignals } from "../signals.ts";

export interface ScheduleOptions extends GlobalOptions {
  cron?: string;
  timezone?: string;
  since: string;
  retries?: string;
  retryDelay?: string;
  catchUpOnly?: boolean;
  now?: string;
  json?: boolean;
}

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new ConfigError(`${flag} must be a positive integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** `--now` pretends the process started at that instant (for replaying a catch-up); the cron task still uses real time. */
function clockFor(now: string | undefined): Clock {
  if (now === undefined) return systemClock;
  const fixed = new Date(canonicalInstant(now, "--now"));
  return { now: () => fixed, sleep: systemClock.sleep };
}

/** Each run opens the warehouse and closes it again, so the loader can have it between runs. */
async function withWarehouse<T>(
  ctx: CommandContext,
  fn: (w: Awaited<ReturnType<typeof openWarehouse>>) => Promise<T>,
): Promise<T> {
  const w = await openWarehouse(ctx.paths.warehouse);
  try {
    return await fn(w);
  } finally {
    w.close();
  }
}

/** One line per month: period, status and as-of, then the run, the attempts and the error where there are any. */
function outcomeLine(o: MonthOutcome): string {
  const run = o.runId ? `  run ${o.runId}` : "";
  const attempts = o.attempts > 1 ? `  (${o.attempts} attempts)` : "";
  const error = o.error ? `  ${o.error}` : "";
  return `${o.period}  ${o.status.padEnd(9)}  as of ${o.asOf}${run}${attempts}${error}`;
}

function report(outcomes: readonly MonthOutcome[], json: boolean): string {
  if (json) return `${JSON.stringify(outcomes)}\n`;
  if (outcomes.length === 0) return "catch-up: no month was due yet\n";
  return `${outcomes.map(outcomeLine).join("\n")}\n`;
}

export async function scheduleAction(opts: ScheduleOptions): Promise<void> {
  const ctx = createContext(opts, { lazySpecs: true });
  const config = resolveEvalConfig(mergeEvalConfig(ctx.config.evaluate, {}));
  const hash = configHash(config);
  const scheduler = createScheduler({
    cron: opts.cron ?? ctx.config.schedule.cron,
    timezone: opts.timezone ?? ctx.config.schedule.timezone,
    since: opts.since,
    retry: {
      ...DEFAULT_RETRY,
      attempts: positiveInt("--retries", opts.retries, DEFAULT_RETRY.attempts),
      baseDelayMs: positiveInt("--retry-delay", opts.retryDelay, DEFAULT_RETRY.baseDelayMs),
    },
    clock: clockFor(opts.now),
    logger: ctx.logger,
    evaluateMonth: (period, asOf, trigger) =>
      withWarehouse(ctx, async (w) => {
        const r = await runEvaluation(w.connection, {
          period,
          asOf: asOf.toISOString(),
          asOfSource: "schedule",
          trigger,
          config,
          logger: ctx.logger,
        });
        ctx.metrics.lastEvaluationSuccess.set(Date.now() / 1000);
        return r;
      }),
    isDone: (period) =>
      withWarehouse(ctx, async (w) => {
        await ensureEvalTables(w.connection);
        return hasSucceededRun(w.connection, period, hash);
      }),
  });
  if (opts.catchUpOnly) {
    try {
      process.stdout.write(report(await scheduler.catchUp(), opts.json === true));
    } finally {
      await scheduler.stop();
    }
    return;
  }
  // The scheduler exports the last success it finds in the warehouse from the start (the other stages never do).
  try {
    const last = await withWarehouse(ctx, async (w) => (await lastEvaluationRuns(w.connection)).lastSucceeded);
    if (last?.finishedAt) ctx.metrics.lastEvaluationSuccess.set(Date.parse(last.finishedAt) / 1000);
  } catch (err) {
    ctx.logger.warn({ err }, "last evaluation success not read from the warehouse");
  }
  // Signals are watched from the start, so SIGTERM during a long catch-up stops it after the month in progress.
  const signals = watchSignals();
  const endpoint = await startStageEndpoint(ctx, { daemon: true });
  try {
    const started = scheduler.start();
    await Promise.race([started, signals.received]);
    await signals.received;
    ctx.logger.info("schedule stopping");
  } finally {
    signals.dispose();
    await scheduler.stop();
    await endpoint.close();
  }
}
