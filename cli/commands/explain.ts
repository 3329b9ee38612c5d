import type { Command } from "commander";
import { explainRegion, formatExplanation } from "../../evaluate/index.ts";
import { escapeControls } from "../../runtime/terminal-text.ts";
import type { GlobalOptions } from "../context.ts";
import { withEvaluationRun } from "../with-evaluation-run.ts";

interface ExplainOptions extends GlobalOptions {
  region: string;
  period?: string;
  run?: string;
  indicator?: string[];
  all?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean),
];

export function registerExplain(program: Command): void {
  program
    .command("explain")
    .description(
      "show how a region's score was made: composite, dimensions, indicators, the observations used and their source lines",
    )
    .requiredOption("--region <code>", "region code, e.g. 330100 (杭州市)")
    .option("--period <period>", "the period evaluated (the latest successful run of it is explained)")
    .option("--run <id>", "explain this run instead of the latest of --period")
    .option("--indicator <codes>", "only these indicators (comma-separated or repeated)", collect)
    .option("--all", "also list indicators without a value one by one")
    .option("--json", "print the explanation as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  gongfu explain --region 330100 --period 2025-09\n  gongfu explain --region 330000 --period 2025-09 --indicator city_income_max_min_ratio\n",
    )
    .action(async (_o: ExplainOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ExplainOptions>();
      await withEvaluationRun("explain", opts, async (_ctx, connection, run) => {
        const explanation = await explainRegion(connection, run, opts.region, opts.indicator ?? []);
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(explanation)}\n`
            : // Source file names and feed values in it cannot drive the terminal.
              escapeControls(formatExplanation(explanation, { showMissing: opts.all === true }), { keepLayout: true }),
        );
      });
    });
}
