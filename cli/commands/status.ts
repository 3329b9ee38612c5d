import type { Command } from "commander";
import { createContext, type GlobalOptions } from "../context.ts";
import { collectStatus } from "../status/collect-status.ts";
import { formatStatus } from "../print-status.ts";
import { readRecordSetup } from "../record-feeds.ts";

interface StatusOptions extends GlobalOptions {
  json?: boolean;
}

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description(
      "per feed: last file received, rows in and out, dead letters waiting, freshness; consumer lag (--kafka); last and next evaluation",
    )
    .option("--json", "print the report as JSON")
    .addHelpText("after", "\nExamples:\n  gongfu status\n  gongfu status --kafka 127.0.0.1:9092 --json\n")
    .action(async (_o: StatusOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<StatusOptions>();
      const ctx = createContext(opts);
      const report = await collectStatus({
        specs: ctx.specs,
        recordSpecs: readRecordSetup(ctx).specs,
        paths: ctx.paths,
        schedule: ctx.config.schedule,
        topicPrefix: ctx.topics.prefix,
        kafka: ctx.kafkaSettings(),
      });
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(report, null, 2)}\n`
          : formatStatus(report, process.stdout.isTTY === true && !process.env["NO_COLOR"]),
      );
    });
}
