import { InvalidArgumentError, type Command } from "commander";
import type { IngestCommandOptions } from "../actions/ingest.ts";

function nonNegative(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number of at least 0, got ${text}`);
  return n;
}

export function registerIngest(program: Command): void {
  program
    .command("ingest")
    .description(
      "produce the files waiting in the drop folders and the new pages of HTTP feeds to the raw " +
        "topics (Kafka mode); with --watch, keep watching and polling",
    )
    .option(
      "--watch",
      "run as a daemon: watch every drop folder and poll HTTP feeds on their pollSeconds until SIGTERM/SIGINT",
    )
    .option(
      "--rescan-seconds <n>",
      "with --watch: rescan every drop folder this often, in case a file event was missed",
      nonNegative,
      30,
    )
    .option(
      "--settle-ms <n>",
      "read a dropped file once it has not changed for this long (default: ingest.settleSeconds, 60 s)",
      nonNegative,
    )
    .addHelpText(
      "after",
      "\nHTTP header values come from the environment variables a feed spec names (headersFromEnv); they are never logged.\n" +
        "Prints the per-feed counts as JSON when it finishes (without --watch) or stops (with --watch).\n\n" +
        "Examples:\n  KAFKA_BROKERS=127.0.0.1:9092 gongfu ingest            what is waiting now, " +
        "then exit\n  gongfu ingest --kafka 127.0.0.1:9092 --watch          a daemon until SIGTERM\n",
    )
    .action(async (_o: IngestCommandOptions, cmd: Command) => {
      const { ingestAction } = await import("../actions/ingest.ts");
      await ingestAction(cmd.optsWithGlobals<IngestCommandOptions>());
    });
}
