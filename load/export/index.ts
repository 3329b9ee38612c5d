import { dirname, extname, join, resolve } from "node:path";
import { existsSync, lstatSync, rmSync } from "node:fs";
import type { Logger } from "../../runtime/logger.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { publishFile, tempPathFor } from "../atomic-file.ts";
import { planColumns } from "./column-plan.ts";
import {
  biLakeDir,
  openExportSource,
  refuseGuardedOutput,
  sandboxConnection,
  selectForQuery,
  selectForTable,
  type SourceKind,
} from "./export-source.ts";
import { writeArrow } from "./write-arrow.ts";
import { writeWithCopy } from "./write-copy.ts";
import { writeXlsx } from "./write-xlsx.ts";

export const EXPORT_FORMATS = ["arrow", "parquet", "csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const EXTENSIONS: Record<string, ExportFormat> = {
  ".arrow": "arrow",
  ".feather": "arrow",
  ".ipc": "arrow",
  ".parquet": "parquet",
  ".csv": "csv",
  ".xlsx": "xlsx",
};

export interface ExportOptions {
  /** Default: from the extension of `out`. */
  format?: ExportFormat;
  /** A table or view of the warehouse; or `query`, one SELECT. */
  table?: string;
  query?: string;
  out: string;
  warehousePath: string;
  /** Read instead while a loader holds the warehouse. */
  biPath: string;
  /** The Parquet lake: the only folder a query may read files from. Default: `lake` beside bi.duckdb. */
  lakeDir?: string;
  /** More folders an export must never write into (the connectors' state). */
  guardedFolders?: readonly string[];
  logger: Logger;
}

export interface ExportResult {
  format: ExportFormat;
  rows: number;
  out: string;
  source: SourceKind;
}

/**
 * A new path or a plain file is written beside itself and renamed over; anything else (a symlink, /dev/stdout, a
 * pipe) is written through directly, since a rename would replace the link or device itself.
 */
function outputTarget(path: string): { out: string; atomic: boolean } {
  const out = resolve(path);
  if (!existsSync(out) && !isSymlink(out)) return { out, atomic: true };
  return { out, atomic: lstatSync(out).isFile() };
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function formatOf(options: ExportOptions): ExportFormat {
  if (options.format) return options.format;
  const byExtension = EXTENSIONS[extname(options.out).toLowerCase()];
  if (!byExtension)
    throw new ConfigError(`cannot tell the format of ${options.out} from its extension`, {
      hint: `pass --format ${EXPORT_FORMATS.join("|")}`,
    });
  return byExtension;
}

/**
 * Writes a table, view or query result of the warehouse to a file, read-only. The file appears whole under its
 * name or not at all (written beside it, then renamed).
 */
export async function exportData(options: ExportOptions): Promise<ExportResult> {
  const format = formatOf(options);
  if ((options.table === undefined) === (options.query === undefined))
    throw new ConfigError("give either --table or --query");
  const lakeDir = options.lakeDir ?? join(dirname(options.biPath), "lake");
  refuseGuardedOutput(options.out, {
    databases: [options.warehousePath, options.biPath],
    folders: [lakeDir, ...(options.guardedFolders ?? [])],
  });
  const { out, atomic } = outputTarget(options.out);
  const { db, kind, note } = await openExportSource(options.warehousePath, options.biPath);
  if (note) options.logger.warn({ source: db.path }, note);
  const temp = atomic ? tempPathFor(out) : out;
  try {
    const { connection } = db;
    const lakes = kind === "bi.duckdb" ? [lakeDir, (await biLakeDir(connection)) ?? lakeDir] : [lakeDir];
    await sandboxConnection(connection, { directories: lakes, files: [temp] });
    const select =
      options.table !== undefined
        ? await selectForTable(connection, options.table)
        : await selectForQuery(connection, options.query!);
    let rows: number;
    if (format === "parquet" || format === "csv") {
      rows = await writeWithCopy(connection, (await planColumns(connection, select, format)).sql, format, temp);
    } else {
      const plan = await planColumns(connection, select, "rows");
      rows =
        format === "arrow"
          ? await writeArrow(connection, plan.sql, plan.columns, temp)
          : await writeXlsx(connection, plan.sql, plan.columns, temp, options.table ?? "query");
    }
    if (atomic) publishFile(temp, out);
    return { format, rows, out, source: kind };
  } finally {
    if (atomic) rmSync(temp, { force: true });
    db.close();
  }
}
