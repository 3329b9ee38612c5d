// The monthly schedule: cron calendar, catch-up of missed months, retries, with an injectable clock.
export { createScheduler, type Scheduler, type SchedulerOptions, type MonthOutcome } from "./scheduler.ts";
export { createCronCalendar, type CronCalendar } from "./next-fire.ts";
export { monthsDue, monthBefore, type MonthDue } from "./months-due.ts";
export { systemClock, type Clock } from "./clock.ts";
export { DEFAULT_RETRY, backoffMs, type RetryPolicy } from "./retry.ts";
