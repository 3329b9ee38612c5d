import { openWarehouse } from "../../load/index.ts";
import { mergeEvalConfig, realisationTable, runEvaluation } from "../../evaluate/index.ts";
import { findRunRef, formatRunSummary, runSummary } from "../../report/index.ts";
import { evalOverrides, type EvalFlags } from "../eval-flags.ts";
import { createContext, type GlobalOptions } from "../context.ts";
import { formatRealisationTable } from "../print-realisation.ts";

export interface EvaluateOptions extends GlobalOptions, EvalFlags {
  indicator: string;
  period?: string;
  force?: boolean;
  json?: boolean;
}

export async function evaluateAction(opts: EvaluateOptions): Promise<void> {
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
}
