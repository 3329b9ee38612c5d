import type { Command } from "commander";
import { openWarehouse } from "../../load/index.ts";
import { realisationTable } from "../../evaluate/index.ts";
import { createContext, type GlobalOptions } from "../context.ts";
import { formatRealisationTable } from "../print-realisation.ts";

interface EvaluateOptions extends GlobalOptions {
  indicator: string;
  asOf?: string;
  json?: boolean;
}

export function registerEvaluate(program: Command): void {
  program
    .command("evaluate")
    .description("compute realisation degrees against the plan's 2025 targets from the warehouse")
    .option("--indicator <code>", "indicator to evaluate", "disposable_income_per_capita")
    .option("--as-of <timestamp>", "use only what was published by this time (ISO 8601)")
    .option("--json", "print JSON rows instead of a table")
    .addHelpText("after", "\nExample:\n  gongfu evaluate --indicator disposable_income_per_capita --as-of 2023-06-30T00:00:00Z\n")
    .action(async (_o: EvaluateOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<EvaluateOptions>();
      const ctx = createContext(opts);
      const warehouse = await openWarehouse(ctx.paths.warehouse);
      try {
        const rows = await realisationTable(warehouse.connection, opts.indicator, opts.asOf);
        const indicator = ctx.catalog.indicator(opts.indicator);
        process.stdout.write(opts.json ? `${JSON.stringify(rows)}\n` : formatRealisationTable(rows, `${indicator?.nameZh ?? opts.indicator} ${opts.indicator}`));
      } finally {
        warehouse.close();
      }
    });
}
