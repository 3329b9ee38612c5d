import type { Command } from "commander";
import type { ScheduleOptions } from "../actions/schedule.ts";
import { DEFAULT_RETRY } from "../schedule/retry.ts";

export function registerSchedule(program: Command): void {
  program
    .command("schedule")
    .description(
      "evaluate every month on a cron schedule (node-cron, no overlap); at start, catch up the months missed while down",
    )
    .option(
      "--cron <expression>",
      "when to evaluate the previous month (default schedule.cron, 0 2 1 * *: 02:00 on the 1st)",
    )
    .option("--timezone <tz>", "time zone of the expression (default schedule.timezone, Asia/Shanghai)")
    .option("--since <month>", "the first month the calendar expects a run for", "2021-01")
    .option(
      "--retries <n>",
      `attempts per month before giving up until the next start (default ${DEFAULT_RETRY.attempts})`,
    )
    .option("--retry-delay <ms>", `first back-off delay, doubled each retry (default ${DEFAULT_RETRY.baseDelayMs})`)
    .option("--catch-up-only", "evaluate the missed months, then exit")
    .option("--now <timestamp>", "pretend it is this instant when deciding what was missed")
    .option("--json", "with --catch-up-only: print the outcomes as JSON")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  gongfu schedule                         catch up, then run monthly until SIGTERM",
        "  gongfu schedule --catch-up-only --since 2025-01",
        "",
        "Each month is evaluated as of the instant its run was due, " +
          "so a late run reproduces what an on-time run would have seen.",
        "",
      ].join("\n"),
    )
    .action(async (_o: ScheduleOptions, cmd: Command) => {
      const { scheduleAction } = await import("../actions/schedule.ts");
      await scheduleAction(cmd.optsWithGlobals<ScheduleOptions>());
    });
}
