// The monthly schedule behind `gongfu schedule`: cron calendar, catch-up of missed months, retries, with an injectable
// clock. It runs evaluations and computes none, so it sits in cli/ with the daemons' other plumbing (signals, metrics).
export { createScheduler, type Scheduler, type SchedulerOptions, type MonthOutcome } from "./scheduler.ts";
export { createCronCalendar, type CronCalendar } from "./next-fire.ts";
export { monthsDue, monthBefore, type MonthDue } from "./months-due.ts";
export { systemClock, type Clock } from "./clock.ts";
export { DEFAULT_RETRY, backoffMs, type RetryPolicy } from "./retry.ts";
