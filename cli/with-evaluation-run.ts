import type { DuckDBConnection } from "@duckdb/node-api";
import { openWarehouseReadOnly } from "../load/index.ts";
import { findRunRef } from "../evaluate/index.ts";
import { parsePeriod } from "../schemas/index.ts";
import { ConfigError } from "../runtime/errors.ts";
import { createContext, type CommandContext, type GlobalOptions } from "./context.ts";

type RunRef = Awaited<ReturnType<typeof findRunRef>>;

/** Opens the warehouse read-only and finds the run named by --run, or the latest successful run of --period. */
export async function withEvaluationRun<T>(
  command: string,
  opts: GlobalOptions & { period?: string; run?: string },
  fn: (ctx: CommandContext, connection: DuckDBConnection, run: RunRef) => Promise<T>,
): Promise<T> {
  if (opts.period === undefined && opts.run === undefined)
    throw new ConfigError(`gongfu ${command} needs --period or --run`);
  const period = opts.period === undefined ? undefined : parsePeriod(opts.period);
  if (period && !period.ok) throw new ConfigError(`--period: ${period.reason}`);
  const ctx = createContext(opts, { lazySpecs: true });
  const warehouse = await openWarehouseReadOnly(ctx.paths.warehouse);
  try {
    const run = await findRunRef(warehouse.connection, {
      ...(period?.ok ? { period: period.period } : {}),
      ...(opts.run ? { runId: opts.run } : {}),
    });
    return await fn(ctx, warehouse.connection, run);
  } finally {
    warehouse.close();
  }
}
