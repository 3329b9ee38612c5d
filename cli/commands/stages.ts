import type { Command } from "commander";
import type { LoadOptions } from "../actions/load.ts";
import { registerTransform } from "./transform.ts";
import { registerIngest } from "./ingest-daemon.ts";

export function registerStages(program: Command): void {
  registerIngest(program);

  registerTransform(program);

  program
    .command("load")
    .description("write observations and dead letters into the DuckDB warehouse (Kafka mode)")
    .option("--until-idle", "exit once caught up instead of running until SIGTERM")
    .option("--group-id <id>", "consumer group (default <prefix>-load)")
    .addHelpText("after", "\nExample:\n  gongfu load --kafka 127.0.0.1:9092 --until-idle\n")
    .action(async (_o: LoadOptions, cmd: Command) => {
      const { loadAction } = await import("../actions/load.ts");
      await loadAction(cmd.optsWithGlobals<LoadOptions>());
    });
}
