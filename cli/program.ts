// The gongfu program: global options and one file per command under cli/commands/ (started by cli/gongfu.ts). Those
// files hold only the commands' definitions (options, help); each command imports what it runs, from cli/actions/,
// once it is chosen, so `--version`, `--help` and every command load only what they use (docs/OPERATIONS.md).
import { Command, CommanderError } from "commander";
import { registerRun } from "./commands/run.ts";
import { registerStages } from "./commands/stages.ts";
import { registerEvaluate } from "./commands/evaluate.ts";
import { registerSchedule } from "./commands/schedule.ts";
import { registerExplain } from "./commands/explain.ts";
import { registerReport } from "./commands/report.ts";
import { registerConfig } from "./commands/config.ts";
import { registerStatus } from "./commands/status.ts";
import { registerReplay } from "./commands/replay.ts";
import { registerValidate } from "./commands/validate.ts";
import { registerExport } from "./commands/export.ts";
import { packageVersion } from "./version.ts";

const program = new Command("gongfu")
  .description("共富 gongfu: the common-prosperity data pipeline and metrics warehouse")
  .option("-c, --config <file>", "configuration file (default ./gongfu.config.yaml)")
  .option("--kafka [brokers]", "run on Kafka (host:port,...; default KAFKA_BROKERS) instead of the embedded bus")
  .option("--data <dir>", "data folder: warehouse, drop folders, connector state (default ./data)")
  .option("--feeds <dir>", "folder of feed spec YAML files (default ./feeds)")
  .option("--topic-prefix <prefix>", "prefix of every topic name (default gongfu)")
  .option(
    "--metrics-port <port>",
    "serve /metrics, /healthz and /readyz on this port (0: any free port; daemons default to metrics.port, 9464)",
  )
  .option("--no-metrics", "do not serve metrics, even as a daemon")
  .option("-v, --verbose", "debug logs, and stack traces on errors")
  .version(packageVersion(), "-V, --version")
  .showHelpAfterError("(gongfu <command> --help for usage)")
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, "gongfu: ")) })
  .exitOverride()
  .addHelpText(
    "after",
    "\nExample:\n  gongfu run --samples          the whole pipeline on the bundled sample " +
      "feeds, no broker needed\n\nExit codes: 0 ok, 1 failure, 2 usage or configuration error.\n",
  );

registerRun(program);
registerStages(program);
registerEvaluate(program);
registerSchedule(program);
registerExplain(program);
registerReport(program);
registerConfig(program);
registerStatus(program);
registerReplay(program);
registerValidate(program);
registerExport(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Commander has printed its own message (or the help); 0 for --help and --version, 2 for every usage error.
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  const { describeError, formatError } = await import("./print-error.ts");
  const verbose =
    program.opts<{ verbose?: boolean }>().verbose === true ||
    process.argv.includes("--verbose") ||
    process.argv.includes("-v");
  process.stderr.write(formatError(err, verbose));
  process.exit(describeError(err).usage ? 2 : 1);
}
