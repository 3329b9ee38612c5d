import type { Command } from "commander";
import type { ReplayCommandOptions } from "../actions/replay.ts";

export function registerReplay(program: Command): void {
  program
    .command("replay")
    .description(
      "re-send a feed's dead letters after its spec or the catalog was fixed; resolved quarantine rows are marked",
    )
    .requiredOption("--feed <id>", "the feed whose dead letters to replay")
    .option(
      "--stage <stage>",
      "the stage that refused them (only transform dead letters hold a raw record)",
      "transform",
    )
    .option("--group-id <id>", "the loader's consumer group on Kafka (default <prefix>-load)")
    .option("--timeout <seconds>", "how long to wait for the replayed records to come back", "120")
    .option("--json", "print the outcome as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  gongfu replay --feed stats-bureau-income\n  gongfu replay --feed " +
        "stats-bureau-income --kafka 127.0.0.1:9092   (stop the load service first: the replay loads)\n",
    )
    .action(async (_o: ReplayCommandOptions, cmd: Command) => {
      const { replayAction } = await import("../actions/replay.ts");
      await replayAction(cmd.optsWithGlobals<ReplayCommandOptions>());
    });
}
