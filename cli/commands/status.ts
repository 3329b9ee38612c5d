import type { Command } from "commander";
import type { StatusOptions } from "../actions/status.ts";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description(
      "per feed: last file received, rows in and out, dead letters waiting, freshness; consumer lag (--kafka); last and next evaluation",
    )
    .option("--json", "print the report as JSON")
    .addHelpText("after", "\nExamples:\n  gongfu status\n  gongfu status --kafka 127.0.0.1:9092 --json\n")
    .action(async (_o: StatusOptions, cmd: Command) => {
      const { statusAction } = await import("../actions/status.ts");
      await statusAction(cmd.optsWithGlobals<StatusOptions>());
    });
}
