import type { Command } from "commander";
import { openWarehouse } from "../../load/index.ts";
import { mergeEvalConfig, realisationTable, runEvaluation } from "../../evaluate/index.ts";
import { findRunRef, formatRunSummary, runSummary } from "../../report/index.ts";
import { addEvalFlags, evalOverrides, type EvalFlags } from "../eval-flags.ts";
import { createContext, type GlobalOptions } from "../context.ts";
import { formatRealisationTable } from "../print-realisation.ts";

interface EvaluateOptions extends GlobalOptions, EvalFlags {
  indicator: string;
  period?: string;
  force?: boolean;
  json?: boolean;
}

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
      const opts = cmd.optsWithGlobals<EvaluateOptions>();
      const ctx = createContext(opts, { lazySpecs: true });
      const warehouse = await openWarehouse(ctx.paths.warehouse);
      try {
        if (opts.period === undefined) {
          const rows = await realisationTable(warehouse.connection, opts.indicator, opts.asOf);
          const indicator = ctx.catalog.indicator(opts.indicator);
          process.stdout.write(
            opts.json
              ? `${JSON.stringify(rows)}\n`
              : formatRealisationTable(rows, `${indicator?.nameZh ?? opts.indicator} ${opts.indicator}`),
          );
          return;
        }
        const config = mergeEvalConfig(ctx.config.evaluate, evalOverrides(opts));
        const result = await runEvaluation(warehouse.connection, {
          period: opts.period,
          ...(opts.asOf ? { asOf: opts.asOf } : {}),
          config,
          force: opts.force === true,
          logger: ctx.logger,
        });
        const summary = await runSummary(
          warehouse.connection,
          await findRunRef(warehouse.connection, { runId: result.runId }),
        );
        if (opts.json)
          process.stdout.write(
            `${JSON.stringify({ ...result, regionsScored: summary.regions, disparity: summary.disparity })}\n`,
          );
        else
          process.stdout.write(
            formatRunSummary(summary, {
              status: result.status === "unchanged" ? "unchanged (already evaluated; --force recomputes)" : "succeeded",
              ms: result.status === "succeeded" ? (result.timings["totalMs"] ?? null) : null,
            }),
          );
      } finally {
        warehouse.close();
      }
    });
}
