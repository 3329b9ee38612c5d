import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Warehouse } from "../../load/index.ts";
import { silentLogger } from "../../runtime/logger.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { configHash, hasSucceededRun, resolveEvalConfig, runEvaluation } from "../../evaluate/index.ts";
import {
  createCronCalendar,
  createScheduler,
  monthsDue,
  type Clock,
  type SchedulerOptions,
} from "../../cli/schedule/index.ts";
import { createSyntheticWarehouse, insertObservations } from "../evaluate/synthetic-warehouse.ts";
import { provinceScenario } from "../evaluate/scenario.ts";

const TZ = "Asia/Shanghai";
const CONFIG = { sensitivity: { draws: 50 } };
let w: Warehouse;

/** A clock that stands still unless told otherwise and records every sleep instead of waiting. */
function fakeClock(
  now: string,
  onSleep: (ms: number) => Promise<void> | void = () => undefined,
): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(now),
    sleep: async (ms) => {
      sleeps.push(ms);
      await onSleep(ms);
    },
  };
}

function scheduler(clock: Clock, overrides: Partial<SchedulerOptions> = {}) {
  return createScheduler({
    cron: "0 2 1 * *",
    timezone: TZ,
    since: "2025-06",
    retry: { attempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 },
    clock,
    logger: silentLogger(),
    evaluateMonth: (period, asOf, trigger) =>
      runEvaluation(w.connection, {
        period,
        asOf: asOf.toISOString(),
        asOfSource: "schedule",
        trigger,
        config: CONFIG,
      }),
    isDone: (period) => hasSucceededRun(w.connection, period, configHash(resolveEvalConfig(CONFIG))),
    ...overrides,
  });
}

async function runs(): Promise<Record<string, unknown>[]> {
  return (
    await w.connection.runAndReadAll(
      "SELECT period, strftime(as_of AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS as_of, " +
        "as_of_source, trigger, status, attempts FROM eval_run ORDER BY period, as_of",
    )
  ).getRowObjectsJson() as Record<string, unknown>[];
}

describe("the cron calendar", () => {
  it("finds the next 02:00 on the 1st in Asia/Shanghai, strictly after the given instant", () => {
    const cal = createCronCalendar("0 2 1 * *", TZ);
    try {
      expect(cal.nextFireAfter(new Date("2025-09-15T00:00:00Z")).toISOString()).toBe("2025-09-30T18:00:00.000Z");
      expect(cal.nextFireAfter(new Date("2025-09-30T18:00:00Z")).toISOString()).toBe("2025-10-31T18:00:00.000Z");
      expect(cal.nextFireAfter(new Date("2025-12-15T00:00:00Z")).toISOString()).toBe("2025-12-31T18:00:00.000Z");
    } finally {
      cal.close();
    }
  });

  it("follows daylight saving time and last-day-of-month expressions", () => {
    const london = createCronCalendar("30 6 L * *", "Europe/London");
    try {
      // 06:30 BST on 30 June is 05:30 UTC; 06:30 GMT on 31 December is 06:30 UTC.
      expect(london.nextFireAfter(new Date("2025-06-10T00:00:00Z")).toISOString()).toBe("2025-06-30T05:30:00.000Z");
      expect(london.nextFireAfter(new Date("2025-12-10T00:00:00Z")).toISOString()).toBe("2025-12-31T06:30:00.000Z");
    } finally {
      london.close();
    }
  });

  it("rejects an invalid expression as a configuration error", () => {
    expect(() => createCronCalendar("every month", TZ)).toThrow(ConfigError);
  });

  it("lists the months whose run was due by now", () => {
    const cal = createCronCalendar("0 2 1 * *", TZ);
    try {
      const before = monthsDue("2025-06", new Date("2025-09-30T17:59:59Z"), cal, TZ);
      expect(before.map((m) => m.period)).toEqual(["2025-06", "2025-07", "2025-08"]);
      expect(before[0]!.dueAt.toISOString()).toBe("2025-06-30T18:00:00.000Z");
      expect(monthsDue("2025-06", new Date("2025-09-30T18:00:00Z"), cal, TZ).map((m) => m.period)).toEqual([
        "2025-06",
        "2025-07",
        "2025-08",
        "2025-09",
      ]);
    } finally {
      cal.close();
    }
  });
});

describe("gongfu schedule", () => {
  beforeEach(async () => {
    w = await createSyntheticWarehouse();
    await insertObservations(w.connection, provinceScenario());
  });
  afterEach(() => w.close());

  it("catches up every missed month at start, as of the time each was due, and skips months already done", async () => {
    // 2025-07 was evaluated while the scheduler was down; the process comes back on 15 October.
    await runEvaluation(w.connection, { period: "2025-07", asOf: "2025-08-02T00:00:00Z", config: CONFIG });
    const clock = fakeClock("2025-10-15T03:00:00Z");
    const s = scheduler(clock);
    try {
      const outcomes = await s.catchUp();
      expect(outcomes.map((o) => [o.period, o.status])).toEqual([
        ["2025-06", "succeeded"],
        ["2025-07", "skipped"],
        ["2025-08", "succeeded"],
        ["2025-09", "succeeded"],
      ]);
      expect(await runs()).toEqual([
        {
          period: "2025-06",
          as_of: "2025-06-30T18:00:00Z",
          as_of_source: "schedule",
          trigger: "catch_up",
          status: "succeeded",
          attempts: 1,
        },
        {
          period: "2025-07",
          as_of: "2025-08-02T00:00:00Z",
          as_of_source: "given",
          trigger: "manual",
          status: "succeeded",
          attempts: 1,
        },
        {
          period: "2025-08",
          as_of: "2025-08-31T18:00:00Z",
          as_of_source: "schedule",
          trigger: "catch_up",
          status: "succeeded",
          attempts: 1,
        },
        {
          period: "2025-09",
          as_of: "2025-09-30T18:00:00Z",
          as_of_source: "schedule",
          trigger: "catch_up",
          status: "succeeded",
          attempts: 1,
        },
      ]);
      // A second start finds nothing to do.
      expect((await s.catchUp()).every((o) => o.status === "skipped")).toBe(true);
      expect(await runs()).toHaveLength(4);
      expect(clock.sleeps).toEqual([]);
      // The next firing is computed from the injected clock: 1 November, 02:00 in Shanghai.
      expect(s.nextFire().toISOString()).toBe("2025-10-31T18:00:00.000Z");
    } finally {
      await s.stop();
    }
  });

  it("evaluates the previous month when the cron task fires", async () => {
    const s = scheduler(fakeClock("2025-11-01T02:00:00+08:00"));
    try {
      const outcome = await s.fire(new Date("2025-11-01T02:00:00+08:00"));
      expect(outcome).toMatchObject({
        period: "2025-10",
        trigger: "schedule",
        status: "succeeded",
        asOf: "2025-10-31T18:00:00.000Z",
      });
    } finally {
      await s.stop();
    }
  });

  it("retries a failed run with back-off, recording the failure, until it succeeds", async () => {
    // A write that fails until the fault is cleared: a NOT NULL column the evaluator does not fill.
    await runEvaluation(w.connection, { period: "2025-01", asOf: "2025-02-01T00:00:00Z", config: CONFIG });
    await w.connection.run("ALTER TABLE eval_composite ADD COLUMN fault INTEGER");
    await w.connection.run("UPDATE eval_composite SET fault = 0");
    await w.connection.run("ALTER TABLE eval_composite ALTER COLUMN fault SET NOT NULL");
    const seenWhileWaiting: Record<string, unknown>[][] = [];
    const clock = fakeClock("2025-07-05T00:00:00Z", async (ms) => {
      seenWhileWaiting.push(await runs());
      if (ms >= 2000) await w.connection.run("ALTER TABLE eval_composite DROP COLUMN fault");
    });
    const s = scheduler(clock);
    try {
      const [june] = await s.catchUp();
      expect(june).toMatchObject({ period: "2025-06", status: "succeeded", attempts: 3 });
      expect(clock.sleeps).toEqual([1000, 2000]);
      // While waiting to retry, the run is on record as failed, with the reason.
      expect(seenWhileWaiting[0]!.find((r) => r["period"] === "2025-06")).toMatchObject({
        status: "failed",
        attempts: 1,
      });
      expect((await runs()).find((r) => r["period"] === "2025-06")).toMatchObject({ status: "succeeded", attempts: 3 });
    } finally {
      await s.stop();
    }
  });

  it("gives up after the last attempt, and at once on bad data, and carries on with the next month", async () => {
    // June's evaluation meets a zero income (bad data: retrying cannot help); July has good data.
    await insertObservations(w.connection, [
      {
        indicator: "disposable_income_per_capita",
        region: "330200",
        period: "2025-06",
        value: 0,
        vintage: "2025-06-20T00:00:00Z",
      },
    ]);
    const clock = fakeClock("2025-08-05T00:00:00Z");
    let julyCalls = 0;
    const s = scheduler(clock, {
      evaluateMonth: async (period, asOf, trigger) => {
        if (period === "2025-07" && ++julyCalls <= 10) throw new Error("warehouse is locked");
        return runEvaluation(w.connection, {
          period,
          asOf: asOf.toISOString(),
          asOfSource: "schedule",
          trigger,
          config: CONFIG,
        });
      },
    });
    try {
      const outcomes = await s.catchUp();
      expect(outcomes.map((o) => [o.period, o.status, o.attempts])).toEqual([
        ["2025-06", "failed", 1],
        ["2025-07", "failed", 3],
      ]);
      expect(outcomes[0]!.error).toMatch(/must be > 0/);
      expect(clock.sleeps).toEqual([1000, 2000]);
      expect((await runs()).map((r) => [r["period"], r["status"]])).toEqual([["2025-06", "failed"]]);
    } finally {
      await s.stop();
    }
  });

  it("rejects a start month that is not a month", () => {
    expect(() => scheduler(fakeClock("2025-08-05T00:00:00Z"), { since: "2025" })).toThrow(ConfigError);
  });
});
