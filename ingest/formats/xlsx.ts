import type { Readable } from "node:stream";
import type { SourcePosition } from "../../schemas/index.ts";
import { headerMismatch, type HeaderNeeds } from "./header-check.ts";
import { readHead, withReopenable } from "./reopenable.ts";
import { cellText, headerText } from "./xlsx-cells.ts";
import { composeHeader, createMergeFiller, type HeaderGrid } from "./xlsx-header.ts";
import { scanMerges, type MergeRange } from "./xlsx-merges.ts";
import { openWorkbook, type StreamSheet } from "./xlsx-workbook.ts";
import { loadWorkbook } from "./xlsx-in-memory.ts";
import { measureInflation, type InflateLimit } from "./xlsx-inflation.ts";
import type { ParsedRow, SourceInput } from "./types.ts";

export interface XlsxOptions {
  /** Sheets to read; every sheet when undefined. */
  sheets: string[] | undefined;
  skipRows: number;
  headerRows: number;
  /** A field that receives the sheet's name, so a sheet per year or per city can be the period or region. */
  sheetColumn: string | undefined;
  maxRecordBytes: number;
  needs: HeaderNeeds;
  /** Columns the layout reads: a formula without a saved result fails the row only there. */
  used: ReadonlySet<string>;
  /** A workbook inflating beyond `ratio` times its size, and beyond `minBytes`, is refused as a zip bomb. */
  inflateLimit?: InflateLimit;
}

/** Workbook XML compresses about 10:1; far beyond that, and big, is a zip bomb. */
const INFLATE_LIMIT: InflateLimit = { ratio: 200, minBytes: 100 * 1024 ** 2 };

/**
 * Reads an XLSX workbook sheet by sheet with exceljs's streaming reader, memory flat: title rows skipped,
 * one or more header rows (merged group headers, see composeHeader), merged data cells carried to the cells
 * they cover. A damaged or truncated workbook yields the rows read so far and one failed row; never throws.
 */
export function readXlsx(input: SourceInput, options: XlsxOptions): AsyncGenerator<ParsedRow> {
  return withReopenable(input, (open) => readWorkbook(open, options));
}

async function* readWorkbook(open: () => Readable, options: XlsxOptions): AsyncGenerator<ParsedRow> {
  const head = await readHead(open(), 4);
  if (head.length === 0) return yield { ok: false, position: {}, code: "empty_file", reason: "the file is empty" };
  if (head.toString("latin1") !== "PK\x03\x04") return yield { ok: false, position: {}, code: "not_xlsx", reason: "not an XLSX workbook (the file is not a zip archive)" };
  let where: SourcePosition = {};
  try {
    // Every part the readers would inflate (shared strings too, which exceljs keeps in memory) is measured first.
    const inflation = await measureInflation(open(), options.inflateLimit ?? INFLATE_LIMIT);
    if (inflation.refused) return yield { ok: false, position: {}, code: "refused_workbook", reason: inflation.refused };
    const scan = await scanMerges(open());
    const seen = new Set<string>();
    if (scan.unnamed) {
      const whole = await loadWorkbook(open(), inflation.parts);
      if ("refused" in whole) return yield { ok: false, position: {}, code: "refused_workbook", reason: whole.refused };
      for (const { sheet, merges } of whole.sheets) {
        seen.add(sheet.name);
        if (options.sheets && !options.sheets.includes(sheet.name)) continue;
        for await (const row of readSheet(sheet, merges, options)) {
          where = row.position;
          yield row;
        }
      }
    } else for await (const sheet of openWorkbook(open(), { styles: "cache", sharedStrings: "cache" })) {
      seen.add(sheet.name);
      if (options.sheets && !options.sheets.includes(sheet.name)) {
        for await (const _chunk of sheet.iterator); // not wanted: inflate past it
        continue;
      }
      for await (const row of readSheet(sheet, scan.bySheet.get(sheet.name) ?? [], options)) {
        where = row.position;
        yield row;
      }
    }
    if (seen.size === 0) yield { ok: false, position: {}, code: "not_xlsx", reason: "the zip archive holds no worksheet: not an XLSX workbook" };
    for (const name of options.sheets ?? []) {
      if (!seen.has(name)) yield { ok: false, position: { sheet: name }, code: "missing_sheet", reason: `the workbook has no sheet named ${name} (it has: ${[...seen].join(", ")})` };
    }
  } catch (err) {
    yield { ok: false, position: where, code: "unreadable_workbook", reason: `the workbook is damaged or truncated (${(err as Error).message}); rows before this point were read` };
  }
}

async function* readSheet(sheet: StreamSheet, merges: MergeRange[], options: XlsxOptions): AsyncGenerator<ParsedRow> {
  const first = options.skipRows + 1;
  const last = options.skipRows + options.headerRows;
  const grid: HeaderGrid = new Map();
  const fill = createMergeFiller(merges, last + 1);
  let names: string[] | undefined;
  let refused = false;
  const header = (): ParsedRow | undefined => {
    names = composeHeader(grid, first, last, merges);
    const why = grid.size === 0 ? `the sheet has no header in rows ${first}-${last} (is it empty, or is format.skipRows wrong?)` : headerMismatch(names, options.needs);
    refused = why !== undefined;
    return why === undefined ? undefined : { ok: false, position: { sheet: sheet.name, row: last }, code: "header_mismatch", reason: `sheet ${sheet.name}: ${why}` };
  };
  for await (const row of sheet) {
    if (row.number < first) continue;
    if (row.number <= last) {
      const cells = new Map<number, string>();
      row.eachCell({ includeEmpty: false }, (cell, col) => void cells.set(col, headerText(cell.value, cell.numFmt)));
      grid.set(row.number, cells);
      continue;
    }
    if (!names) {
      const failed = header();
      if (failed) yield failed;
    }
    if (refused) continue; // keep reading: the streaming reader must reach the end of the sheet
    const cells = new Map<number, string>();
    const problems: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const t = cellText(cell.value, cell.numFmt);
      if (t.text !== "") cells.set(col, t.text);
      const name = names![col];
      if (t.problem && name && options.used.has(name)) problems.push(`${name}: ${t.problem}`);
    });
    if (cells.size === 0) continue;
    fill(row.number, cells);
    yield dataRow(sheet.name, row.number, names!, cells, problems, options);
  }
  if (!names) {
    const failed = header();
    if (failed) yield failed;
  }
}

function dataRow(sheet: string, row: number, names: string[], cells: Map<number, string>, problems: string[], options: XlsxOptions): ParsedRow {
  const position = { sheet, row };
  const fields: Record<string, string> = {};
  let size = 0;
  for (let c = 1; c < names.length; c++) {
    const name = names[c];
    if (!name) continue;
    fields[name] = cells.get(c) ?? "";
    size += name.length + fields[name].length;
  }
  if (options.sheetColumn) fields[options.sheetColumn] = sheet.trim();
  const raw = () => JSON.stringify(fields).slice(0, 2000);
  if (size > options.maxRecordBytes) return { ok: false, position, code: "oversize_record", reason: `row longer than ${options.maxRecordBytes} characters`, raw: raw() };
  if (problems.length > 0) return { ok: false, position, code: "formula_without_value", reason: problems.join("; "), raw: raw() };
  return { ok: true, position, fields };
}
