import { InvalidArgumentError, type Command } from "commander";
import type { TransformCommandOptions } from "../actions/transform.ts";

function positiveInt(min: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`expected a whole number of at least ${min}, got ${text}`);
    return n;
  };
}

export function registerTransform(program: Command): void {
  program
    .command("transform")
    .description(
      "normalise raw records to observations, exactly once (Kafka mode); SIGTERM/SIGINT commit the open batch and leave the group",
    )
    .option("--until-idle", "exit once caught up instead of running until SIGTERM")
    .option("--group-id <id>", "consumer group (default <prefix>-transform)")
    .option(
      "--batch-size <n>",
      "most raw records per Kafka transaction (default 20000, and at most 8 MiB of them)",
      positiveInt(1),
    )
    .option(
      "--session-timeout <ms>",
      "consumer-group session timeout: how soon a crashed instance's partitions move on (default 30000)",
      positiveInt(6000),
    )
    .addHelpText(
      "after",
      "\nRun several processes with distinct GONGFU_INSTANCE_ID values to share the partitions. " +
        "Prints its counts as JSON when it stops.\n\nExample:\n  gongfu transform --kafka 127.0.0.1:9092\n",
    )
    .action(async (_o: TransformCommandOptions, cmd: Command) => {
      const { transformAction } = await import("../actions/transform.ts");
      await transformAction(cmd.optsWithGlobals<TransformCommandOptions>());
    });
}
