import type { Command } from "commander";
import type { EvaluateOptions } from "../actions/evaluate.ts";
import { addEvalFlags } from "../eval-flags.ts";

export function registerEvaluate(program: Command): void {
  const cmd = program
    .command("evaluate")
    .description("evaluate a period from the warehouse (eval_* tables), or print one indicator's realisation table")
    .option(
      "--period <period>",
      "evaluate this year, quarter or month (2025, 2025Q3, 2025-09) and write the eval_* tables",
    );
  addEvalFlags(cmd, "make")
    .option("--force", "recompute a run that already succeeded (same id, rows replaced)")
    .option(
      "--indicator <code>",
      "without --period: the indicator whose realisation table is printed",
      "disposable_income_per_capita",
    )
    .option("--json", "print JSON instead of a table")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  gongfu evaluate --period 2025-09",
        "  gongfu evaluate --period 2025 --as-of 2026-02-01T00:00:00+08:00 --weights entropy --json",
        "  gongfu evaluate --indicator disposable_income_per_capita --as-of 2023-06-30T00:00:00Z",
        "",
        "The same period, as-of and settings give the same run id and the same numbers; " +
          "a finished run is not recomputed without --force.",
        "",
      ].join("\n"),
    )
    .action(async (_o: EvaluateOptions, cmd: Command) => {
      const { evaluateAction } = await import("../actions/evaluate.ts");
      await evaluateAction(cmd.optsWithGlobals<EvaluateOptions>());
    });
}
