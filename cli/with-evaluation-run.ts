import type { DuckDBConnection } from "@duckdb/node-api";
import { openWarehouseReadOnly } from "../load/index.ts";
import { canonicalInstant, configHash, mergeEvalConfig, resolveEvalConfig } from "../evaluate/index.ts";
import { findRunRef, settingsLine, type RunRef } from "../report/index.ts";
import { parsePeriod } from "../schemas/index.ts";
import { ConfigError } from "../runtime/errors.ts";
import { createContext, type CommandContext, type GlobalOptions } from "./context.ts";
import { evalOverrides, type EvalFlags } from "./eval-flags.ts";

/** The run a command shows, and how it was chosen (for the first line of its output). */
export interface ChosenRun {
  readonly run: RunRef;
  readonly chosenBy: string;
}

/**
 * Opens the warehouse read-only and finds the run named by --run, or else the successful run of --period made with
 * the settings the flags and the configuration file give (the defaults when neither sets any): the run
 * `gongfu evaluate` with the same flags made, never merely the latest one.
 */
export async function withEvaluationRun<T>(
  command: string,
  opts: GlobalOptions & EvalFlags & { period?: string; run?: string },
  fn: (ctx: CommandContext, connection: DuckDBConnection, chosen: ChosenRun) => Promise<T>,
): Promise<T> {
  if (opts.period === undefined && opts.run === undefined)
    throw new ConfigError(`gongfu ${command} needs --period or --run`);
  const period = opts.period === undefined ? undefined : parsePeriod(opts.period);
  if (period && !period.ok) throw new ConfigError(`--period: ${period.reason}`);
  const ctx = createContext(opts, { lazySpecs: true });
  const overrides = evalOverrides(opts);
  const config = resolveEvalConfig(mergeEvalConfig(ctx.config.evaluate, overrides));
  const given = Object.values(overrides).some((v) => v !== undefined);
  const chosenBy = given ? "the settings given" : "the default settings";
  const settings = `${chosenBy} (${settingsLine(config)})`;
  const asOf = opts.asOf === undefined ? undefined : canonicalInstant(opts.asOf);
  const warehouse = await openWarehouseReadOnly(ctx.paths.warehouse);
  try {
    if (opts.run) {
      const run = await findRunRef(warehouse.connection, { runId: opts.run });
      return await fn(ctx, warehouse.connection, { run, chosenBy: "--run" });
    }
    const run = await findRunRef(warehouse.connection, {
      ...(period?.ok ? { period: period.period } : {}),
      configHash: configHash(config),
      ...(asOf ? { asOf } : {}),
      settings,
    });
    return await fn(ctx, warehouse.connection, { run, chosenBy });
  } finally {
    warehouse.close();
  }
}
