#!/usr/bin/env node
// gongfu command line: one entry point, one file per command under cli/commands/.
import { Command, CommanderError } from "commander";
import { registerRun } from "./commands/run.ts";
import { registerStages } from "./commands/stages.ts";
import { registerEvaluate } from "./commands/evaluate.ts";
import { ConfigError, errorMessage } from "../runtime/errors.ts";
import { quietKnownWarnings } from "./warnings.ts";

quietKnownWarnings();

const program = new Command("gongfu")
  .description("共富 gongfu: the common-prosperity data pipeline and metrics warehouse")
  .option("-c, --config <file>", "configuration file (default ./gongfu.config.yaml)")
  .option("--kafka [brokers]", "run on Kafka (host:port,...; default KAFKA_BROKERS) instead of the embedded bus")
  .option("--data <dir>", "data folder: warehouse, drop folders, connector state (default ./data)")
  .option("--feeds <dir>", "folder of feed spec YAML files (default ./feeds)")
  .option("--topic-prefix <prefix>", "prefix of every topic name (default gongfu)")
  .option("-v, --verbose", "debug logs, and stack traces on errors")
  .showHelpAfterError()
  .exitOverride();

registerRun(program);
registerStages(program);
registerEvaluate(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  const verbose = program.opts<{ verbose?: boolean }>().verbose === true;
  process.stderr.write(`gongfu: ${errorMessage(err)}\n`);
  if (verbose && err instanceof Error) process.stderr.write(`${err.stack ?? ""}\n${err.cause ? `caused by: ${String((err.cause as Error).stack ?? err.cause)}\n` : ""}`);
  else if (err instanceof Error && err.cause) process.stderr.write(`  caused by: ${errorMessage(err.cause)} (--verbose for details)\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
}
