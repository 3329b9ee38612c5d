import type { Command } from "commander";
import type { ExplainOptions } from "../actions/explain.ts";
import { addEvalFlags } from "../eval-flags.ts";

const collect = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean),
];

export function registerExplain(program: Command): void {
  const cmd = program
    .command("explain")
    .description(
      "show how a region's score was made: composite, dimensions, indicators, the observations used and their source lines",
    )
    .requiredOption("--region <code>", "region code, e.g. 330100 (杭州市)")
    .option("--period <period>", "the period evaluated (its run made with the settings below is explained)")
    .option("--run <id>", "explain this run (any period and settings)");
  addEvalFlags(cmd, "find")
    .option("--indicator <codes>", "only these indicators (comma-separated or repeated)", collect)
    .option("--all", "also list indicators without a value one by one")
    .option("--json", "print the explanation as JSON")
    .option(
      "--derivation",
      "for derived indicators: the chain from the cell to its derivation and records (no run needed)",
    )
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  gongfu explain --region 330100 --period 2025-09",
        "  gongfu explain --region 330100 --period 2025-09 --weights entropy   # the run evaluate --weights entropy made",
        "  gongfu explain --region 330000 --period 2025-09 --indicator city_income_max_min_ratio",
        "",
      ].join("\n"),
    )
    .action(async (_o: ExplainOptions, cmd: Command) => {
      const { explainAction } = await import("../actions/explain.ts");
      await explainAction(cmd.optsWithGlobals<ExplainOptions>());
    });
}
