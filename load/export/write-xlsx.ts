import type ExcelJS from "exceljs";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { ConfigError } from "../../runtime/errors.ts";
import { columnLabels, type ColumnKind, type PlannedColumn } from "./column-plan.ts";
import { readColumnChunks } from "./read-chunks.ts";

/** Excel's limit, less the header row. */
const MAX_ROWS = 1_048_575;
const MS_PER_DAY = 86_400_000;

// XML 1.0 cannot hold these; exceljs drops them without a word. OOXML's ST_Xstring writes them as _xHHHH_, which
// Excel reads back as the character, so a source_uri with a control character stays the warehouse's value.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;
const LOOKS_ESCAPED = /_(x[0-9A-Fa-f]{4})_/g;

/** Text as OOXML stores it: control characters as _xHHHH_, and a literal _xHHHH_ escaped so it reads back as itself. */
export function xlsxText(text: string): string {
  if (!text.includes("_x") && text.search(XML_INVALID) < 0) return text;
  return text
    .replace(LOOKS_ESCAPED, "_x005F_$1_")
    .replace(XML_INVALID, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`);
}

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
    case "text":
      return xlsxText(v as string);
    case "bool":
    case "int32":
    case "float64":
      return v as boolean | number;
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
  // Headers in Chinese with the column's code beside it (指标代码 indicator_code), from the warehouse's comments.
  const labels = await columnLabels(connection, sheetName);
  const header = (c: PlannedColumn) => {
    const zh = labels.get(c.name);
    const base = zh && zh !== c.name ? `${zh} ${c.name}` : c.name;
    return c.kind === "timestamptz" ? `${base} (UTC)` : base;
  };
  sheet.columns = columns.map((c) => ({
    header: header(c),
    key: c.name,
    width: Math.min(
      40,
      Math.max(
        10,
        [...header(c)].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 2),
      ),
    ),
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
