import type { Command } from "commander";
import type { ReportOptions } from "../actions/report.ts";
import { addEvalFlags } from "../eval-flags.ts";

export function registerReport(program: Command): void {
  const cmd = program
    .command("report")
    .description("write a self-contained HTML report of an evaluation run (inline SVG charts, no network)")
    .option("--period <period>", "the period (its run made with the settings below is reported)")
    .option("--run <id>", "report this run (any period and settings)");
  addEvalFlags(cmd, "find")
    .option("--out <file>", "where to write the HTML", "report.html")
    .addHelpText(
      "after",
      "\nExample:\n  gongfu evaluate --period 2025-09 && gongfu report --period 2025-09 --out report.html\n",
    )
    .action(async (_o: ReportOptions, cmd: Command) => {
      const { reportAction } = await import("../actions/report.ts");
      await reportAction(cmd.optsWithGlobals<ReportOptions>());
    });
}
