import { lstatSync } from "node:fs";
import type { Command } from "commander";
import { Option } from "commander";
import { EXPORT_FORMATS, exportData, lakePaths, type ExportFormat } from "../../load/index.ts";
import { createContext, type GlobalOptions } from "../context.ts";

interface ExportOptions extends GlobalOptions {
  format?: ExportFormat;
  table?: string;
  query?: string;
  out: string;
}

export function registerExport(program: Command): void {
  program
    .command("export")
    .description("write a warehouse table or query result to an Arrow, Parquet, CSV or XLSX file (read-only)")
    .addOption(
      new Option("--format <format>", "file format (default: from the extension of --out)").choices(EXPORT_FORMATS),
    )
    .addOption(new Option("--table <name>", "a table or view of the warehouse, e.g. obs_latest").conflicts("query"))
    .option(
      "--query <sql>",
      "one SELECT statement, without comments, run read-only; it reads the warehouse's tables " +
        "and views, and files only in the Parquet lake",
    )
    .requiredOption("--out <file>", "the file to write (replaced whole when done)")
    .addHelpText(
      "after",
      "\nExamples:\n  gongfu export --table obs_wide --out obs_wide.xlsx\n  gongfu export " +
        "--format arrow --query \"SELECT * FROM obs_latest WHERE region_code = '330100'\" --out " +
        "hangzhou.arrow\n\nWhile a loader holds the warehouse, the export reads the Parquet lake (bi.duckdb) instead.\n",
    )
    .action(async (_o: ExportOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ExportOptions>();
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
    });
}
