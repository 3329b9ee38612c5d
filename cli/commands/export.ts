import { Option, type Command } from "commander";
import type { ExportFormat } from "../../load/index.ts";
import type { ExportOptions } from "../actions/export.ts";

/**
 * load's EXPORT_FORMATS, written out so that the choices and `--help` do not load the loader and DuckDB
 * (test/cli/command-modules.test.ts checks that the two lists agree).
 */
export const EXPORT_FORMAT_CHOICES: readonly ExportFormat[] = ["arrow", "parquet", "csv", "xlsx"];

export function registerExport(program: Command): void {
  program
    .command("export")
    .description("write a warehouse table or query result to an Arrow, Parquet, CSV or XLSX file (read-only)")
    .addOption(
      new Option("--format <format>", "file format (default: from the extension of --out)").choices(
        EXPORT_FORMAT_CHOICES,
      ),
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
      const { exportAction } = await import("../actions/export.ts");
      await exportAction(cmd.optsWithGlobals<ExportOptions>());
    });
}
