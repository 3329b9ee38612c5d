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

/**
 * Opens a workbook for streaming: sheets one after another, rows one after another, memory flat. `named` is false
 * when the sheet's real name was not known when it was read (see deferSheetsUntilWorkbookIsRead).
 */
export async function* openWorkbook(input: Readable, options: { styles: "cache" | "ignore"; sharedStrings: "cache" | "ignore" }): AsyncGenerator<StreamSheet & { named: boolean }> {
  // Imported statically, not on first use: an await here let the caller's stream emit bytes before the reader
  // listened, and under load workbooks came through truncated (intermittent corpus failures).
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: "emit", hyperlinks: "ignore", entries: "ignore", ...options });
  const internals = reader as unknown as ReaderInternals;
  deferSheetsUntilWorkbookIsRead(internals);
  for await (const sheet of reader as unknown as AsyncIterable<StreamSheet>) yield Object.assign(sheet, { named: internals.model !== undefined });
}

interface ReaderInternals {
  model?: unknown;
  workbookRels?: unknown;
}

/**
 * exceljs's streaming reader takes sheet names from xl/workbook.xml, which exceljs's own writer (and others) put
 * at the end of the zip, where its streaming unzip does not reach it: reading such a sheet failed with
 * "Cannot read properties of undefined (reading 'sheets')" (exceljs issue #962). Hiding the relations until
 * workbook.xml is read avoids the crash; the sheets then come unnamed and readXlsx reads the file in memory.
 */
function deferSheetsUntilWorkbookIsRead(reader: ReaderInternals): void {
  let rels: unknown;
  Object.defineProperty(reader, "workbookRels", {
    configurable: true,
    get: () => (reader.model === undefined ? undefined : rels),
    set: (value: unknown) => void (rels = value),
  });
}
