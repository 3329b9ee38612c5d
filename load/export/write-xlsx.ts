import type ExcelJS from "exceljs";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { ConfigError } from "../../runtime/errors.ts";
import type { ColumnKind, PlannedColumn } from "./column-plan.ts";
import { readColumnChunks } from "./read-chunks.ts";

/** Excel's limit, less the header row. */
const MAX_ROWS = 1_048_575;
const MS_PER_DAY = 86_400_000;

/** Excel has no time zones: timestamps are written as UTC date-times (the header says so), dates as dates. */
function cell(kind: ColumnKind, v: DuckDBValue): ExcelJS.CellValue {
  if (v === null) return null;
  switch (kind) {
    case "int64": {
      const n = v as bigint;
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
    }
    case "timestamp":
    case "timestamptz":
      return new Date(Number((v as { micros: bigint }).micros / 1000n));
    case "date":
      return new Date((v as { days: number }).days * MS_PER_DAY);
    case "bool":
    case "int32":
    case "float64":
    case "text":
      return v as boolean | number | string;
  }
}

/** Writes one worksheet with a bold header row, streaming rows to disk. */
export async function writeXlsx(
  connection: DuckDBConnection,
  sql: string,
  columns: readonly PlannedColumn[],
  path: string,
  sheetName: string,
): Promise<number> {
  // Loaded on first use: exceljs is a third of the CLI's start-up, and few commands write a workbook.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31) || "export", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    header: c.kind === "timestamptz" ? `${c.name} (UTC)` : c.name,
    key: c.name,
    width: Math.min(40, Math.max(10, c.name.length + 2)),
    ...(c.kind === "timestamp" || c.kind === "timestamptz"
      ? { style: { numFmt: "yyyy-mm-dd hh:mm:ss" } }
      : c.kind === "date"
        ? { style: { numFmt: "yyyy-mm-dd" } }
        : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let rows = 0;
  for await (const chunk of readColumnChunks(connection, sql)) {
    const length = chunk[0]?.length ?? 0;
    if (rows + length > MAX_ROWS)
      throw new ConfigError(`the result has more than ${MAX_ROWS.toLocaleString("en-US")} rows, Excel's limit`, {
        hint: "narrow it with --query, or export csv, parquet or arrow",
      });
    for (let r = 0; r < length; r++) sheet.addRow(columns.map((c, i) => cell(c.kind, chunk[i]![r]!))).commit();
    rows += length;
  }
  sheet.commit();
  await workbook.commit();
  return rows;
}
