import type { Readable } from "node:stream";
import ExcelJS from "exceljs";

/** The parts of exceljs's streaming worksheet reader that are used here (its typings omit `name` and `iterator`). */
export interface StreamSheet extends AsyncIterable<StreamRow> {
  name: string;
  /** The sheet's raw XML as it is inflated. */
  iterator: AsyncIterable<Buffer | string>;
}

export interface StreamRow {
  number: number;
  eachCell(options: { includeEmpty: boolean }, fn: (cell: { value: unknown; numFmt?: string }, column: number) => void): void;
}

/** Opens a workbook for streaming: sheets one after another, rows one after another, memory flat. */
export function openWorkbook(input: Readable, options: { styles: "cache" | "ignore"; sharedStrings: "cache" | "ignore" }): AsyncIterable<StreamSheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: "emit", hyperlinks: "ignore", entries: "ignore", ...options });
  return reader as unknown as AsyncIterable<StreamSheet>;
}
