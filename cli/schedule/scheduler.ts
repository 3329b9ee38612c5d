// gongfu schedule: node-cron monthly runs in a time zone, no overlap, missed months caught up at start, retries.
import cron, { type ScheduledTask } from "node-cron";
import { Period, periodFrequency } from "../../schemas/index.ts";
import { ConfigError } from "../../runtime/errors.ts";
import type { Logger } from "../../runtime/logger.ts";
import type { RunTrigger } from "../../evaluate/index.ts";
import type { Clock } from "./clock.ts";
import { monthBefore, monthsDue } from "./months-due.ts";
import { createCronCalendar } from "./next-fire.ts";
import { withRetry, type RetryPolicy } from "./retry.ts";

export interface SchedulerOptions {
  readonly cron: string;
  readonly timezone: string;
  /** The first month the calendar expects a run for (2021-01: the plan's first year). */
  readonly since: string;
  readonly retry: RetryPolicy;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Evaluates one month as of `asOf`; throws on failure (the run records its own failure in eval_run). */
  evaluateMonth(period: string, asOf: Date, trigger: RunTrigger): Promise<{ runId: string; status: string }>;
  /** Whether the month already has a successful run with the current settings. */
  isDone(period: string): Promise<boolean>;
}

export interface MonthOutcome {
  readonly period: string;
  readonly asOf: string;
  readonly trigger: RunTrigger;
  readonly status: "succeeded" | "unchanged" | "skipped" | "failed";
  readonly attempts: number;
  readonly runId?: string;
  readonly error?: string;
}

export interface Scheduler {
  /** Evaluates every month due by now that has no successful run, oldest first; stop() ends it early. */
  catchUp(): Promise<MonthOutcome[]>;
  /** What a cron firing at `at` does: evaluate the month before, as of `at`. */
  fire(at: Date): Promise<MonthOutcome>;
  /** Catches up, then starts the cron task (unless stop was called meanwhile). */
  start(): Promise<MonthOutcome[]>;
  nextFire(): Date;
  stop(): Promise<void>;
}

export function createScheduler(o: SchedulerOptions): Scheduler {
  if (!Period.safeParse(o.since).success || periodFrequency(o.since) !== "monthly")
    throw new ConfigError(`--since must be a month such as 2021-01, got ${JSON.stringify(o.since)}`);
  const calendar = createCronCalendar(o.cron, o.timezone);
  const log = o.logger.child({ stage: "schedule" });
  let task: ScheduledTask | undefined;
  let stopping = false;
  // One evaluation at a time, whether started by catch-up or by the cron task.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  const evaluate = (period: string, asOf: Date, trigger: RunTrigger): Promise<MonthOutcome> =>
    serial(async () => {
      const base = { period, asOf: asOf.toISOString(), trigger };
      if (await o.isDone(period)) return { ...base, status: "skipped", attempts: 0 };
      const r = await withRetry(
        o.retry,
        o.clock,
        () => o.evaluateMonth(period, asOf, trigger),
        (err, attempt, delayMs) => {
          if (delayMs === null)
            log.error(
              { period, attempt, err },
              "scheduled evaluation failed; giving up until the next start or firing",
            );
          else log.warn({ period, attempt, delayMs, err }, "scheduled evaluation failed; retrying");
        },
      );
      if (!r.ok) return { ...base, status: "failed", attempts: r.attempts, error: r.error };
      log.info(
        { period, runId: r.value.runId, status: r.value.status, attempts: r.attempts },
        "scheduled evaluation done",
      );
      return {
        ...base,
        status: r.value.status === "unchanged" ? "unchanged" : "succeeded",
        attempts: r.attempts,
        runId: r.value.runId,
      };
    });

  return {
    async catchUp() {
      const due = monthsDue(o.since, o.clock.now(), calendar, o.timezone);
      const outcomes: MonthOutcome[] = [];
      for (const m of due) {
        // A stop request ends the catch-up after the month in progress; the rest is caught up at the next start.
        if (stopping) break;
        outcomes.push(await evaluate(m.period, m.dueAt, "catch_up"));
      }
      const ran = outcomes.filter((x) => x.status !== "skipped");
      log.info(
        { due: due.length, evaluated: ran.length, failed: ran.filter((x) => x.status === "failed").length },
        "catch-up finished",
      );
      return outcomes;
    },
    fire: (at) => evaluate(monthBefore(at, o.timezone), at, "schedule"),
    async start() {
      const outcomes = await this.catchUp();
      if (stopping) return outcomes;
      task = cron.schedule(o.cron, async (ctx) => void (await this.fire(ctx.date)), {
        timezone: o.timezone,
        noOverlap: true,
        name: "gongfu-evaluate",
      });
      log.info({ cron: o.cron, timezone: o.timezone, next: this.nextFire().toISOString() }, "schedule started");
      return outcomes;
    },
    nextFire: () => calendar.nextFireAfter(o.clock.now()),
    async stop() {
      stopping = true;
      await queue;
      await task?.destroy();
      calendar.close();
    },
  };
}
