import { lstatSync } from "node:fs";
import { exportData, lakePaths, type ExportFormat } from "../../load/index.ts";
import { createContext, type GlobalOptions } from "../context.ts";

export interface ExportOptions extends GlobalOptions {
  format?: ExportFormat;
  table?: string;
  query?: string;
  out: string;
}

export async function exportAction(opts: ExportOptions): Promise<void> {
  // Exports need no feed specs: they run wherever the data folder is.
  const ctx = createContext(opts, { lazySpecs: true });
  const result = await exportData({
    ...(opts.format ? { format: opts.format } : {}),
    ...(opts.table !== undefined ? { table: opts.table } : {}),
    ...(opts.query !== undefined ? { query: opts.query } : {}),
    out: opts.out,
    warehousePath: ctx.paths.warehouse,
    biPath: lakePaths(ctx.paths.dataDir).biPath,
    lakeDir: lakePaths(ctx.paths.dataDir).lakeDir,
    guardedFolders: [ctx.paths.stateDir],
    logger: ctx.logger,
  });
  // With --out /dev/stdout the data owns stdout, so the summary goes to stderr.
  (lstatSync(result.out).isFile() ? process.stdout : process.stderr).write(`${JSON.stringify(result)}\n`);
}
