import type { Command } from "commander";
import type { RunOptions } from "../actions/run.ts";

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run the whole pipeline once: ingest what is waiting, transform, load into DuckDB, evaluate")
    .option(
      "--samples",
      "first copy the bundled sample feeds into the drop folder, " +
        "and serve the sample HTTP feed from a demo server on a free loopback port",
    )
    .option("--indicator <code>", "indicator whose realisation table is printed", "disposable_income_per_capita")
    .option("--counties", "print the 90 county-level units too, not only the province and the 11 cities")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  gongfu run --samples                 embedded mode, no broker: sample feeds -> data/gongfu.duckdb",
        "  gongfu run --kafka 127.0.0.1:9092     the same through real Kafka topics",
        "",
      ].join("\n"),
    )
    .action(async (_o: RunOptions, cmd: Command) => {
      const { runAction } = await import("../actions/run.ts");
      await runAction(cmd.optsWithGlobals<RunOptions>());
    });
}
