import type { Readable } from "node:stream";
import type { SourcePosition } from "../../schemas/index.ts";
import { canonicalHeader, headerMismatch, type HeaderNeeds } from "./header-check.ts";
import { readHead, withReopenable } from "./reopenable.ts";
import { cellText, headerText } from "./xlsx-cells.ts";
import { composeHeader, createMergeFiller, type HeaderGrid } from "./xlsx-header.ts";
import { openWorkbook, type SurveyedStreamSheet } from "./xlsx-workbook.ts";
import type { InflateLimit } from "./xlsx-inflation.ts";
import { surveyWorkbook } from "./xlsx-survey.ts";
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
 * Reads an XLSX workbook in two passes, memory flat: the first measures every part (zip bombs) and collects the
 * workbook parts and merged ranges, the second streams sheet by sheet: title rows skipped, one or more header
 * rows (merged group headers, see composeHeader), merged data cells carried to the cells they cover. A damaged or
 * truncated workbook yields the rows of its complete sheets and one failed row; never throws.
 */
export function readXlsx(input: SourceInput, options: XlsxOptions): AsyncGenerator<ParsedRow> {
  return withReopenable(input, (open) => readWorkbook(open, options));
}

async function* readWorkbook(open: () => Readable, options: XlsxOptions): AsyncGenerator<ParsedRow> {
  const head = await readHead(open(), 4);
  if (head.length === 0) return yield { ok: false, position: {}, code: "empty_file", reason: "the file is empty" };
  if (head.toString("latin1") !== "PK\x03\x04")
    return yield {
      ok: false,
      position: {},
      code: "not_xlsx",
      reason: "not an XLSX workbook (the file is not a zip archive)",
    };
  let where: SourcePosition = {};
  const unreadable = (why: string): ParsedRow => ({
    ok: false,
    position: where,
    code: "unreadable_workbook",
    reason: `the workbook is damaged or truncated (${why}); rows before this point were read`,
  });
  try {
    // Every part is measured (shared strings too, which exceljs keeps in memory) before a row is read.
    const survey = await surveyWorkbook(open(), options.inflateLimit ?? INFLATE_LIMIT);
    if (survey.refused) return yield { ok: false, position: {}, code: "refused_workbook", reason: survey.refused };
    const named = survey.workbook.has("xl/workbook.xml") && survey.workbook.has("xl/_rels/workbook.xml.rels");
    if (survey.sheets.length === 0 || !named) {
      if (survey.damage) return yield unreadable(survey.damage);
      const why =
        survey.sheets.length === 0
          ? "the zip archive holds no worksheet"
          : "the zip archive has no xl/workbook.xml or no xl/_rels/workbook.xml.rels, so its sheets have no names";
      return yield { ok: false, position: {}, code: "not_xlsx", reason: `${why}: not an XLSX workbook` };
    }
    const seen = new Set<string>();
    for await (const sheet of openWorkbook(open(), survey, { styles: "cache" })) {
      if (sheet.name === undefined) {
        yield {
          ok: false,
          position: {},
          code: "unreadable_workbook",
          reason: "a worksheet of the archive is not listed in xl/workbook.xml; it was not read",
        };
        continue;
      }
      seen.add(sheet.name);
      if (options.sheets && !options.sheets.includes(sheet.name)) continue; // not wanted: skipped without inflating it
      for await (const row of readSheet(sheet, sheet.name, options)) {
        where = row.position;
        yield row;
      }
    }
    for (const name of options.sheets ?? []) {
      if (!seen.has(name))
        yield {
          ok: false,
          position: { sheet: name },
          code: "missing_sheet",
          reason: `the workbook has no sheet named ${name} (it has: ${[...seen].join(", ")})`,
        };
    }
    if (survey.damage) yield unreadable(survey.damage);
  } catch (err) {
    yield unreadable((err as Error).message);
  }
}

async function* readSheet(sheet: SurveyedStreamSheet, name: string, options: XlsxOptions): AsyncGenerator<ParsedRow> {
  const { merges } = sheet;
  const first = options.skipRows + 1;
  const last = options.skipRows + options.headerRows;
  const grid: HeaderGrid = new Map();
  const fill = createMergeFiller(merges, last + 1);
  let names: string[] | undefined;
  let refused = false;
  const header = (): ParsedRow | undefined => {
    names = canonicalHeader(composeHeader(grid, first, last, merges), options.needs);
    const why =
      grid.size === 0
        ? `the sheet has no header in rows ${first}-${last} (is it empty, or is format.skipRows wrong?)`
        : headerMismatch(names, options.needs);
    refused = why !== undefined;
    return why === undefined
      ? undefined
      : { ok: false, position: { sheet: name, row: last }, code: "header_mismatch", reason: `sheet ${name}: ${why}` };
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
    if (refused) break; // the rest of the sheet is skipped, not inflated
    const cells = new Map<number, string>();
    const problems: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const t = cellText(cell.value, cell.numFmt);
      if (t.text !== "") cells.set(col, t.text);
      const column = names![col];
      if (t.problem && column && options.used.has(column)) problems.push(`${column}: ${t.problem}`);
    });
    if (cells.size === 0) continue;
    fill(row.number, cells);
    yield dataRow(name, row.number, names!, cells, problems, options);
  }
  if (!names) {
    const failed = header();
    if (failed) yield failed;
  }
}

function dataRow(
  sheet: string,
  row: number,
  names: string[],
  cells: Map<number, string>,
  problems: string[],
  options: XlsxOptions,
): ParsedRow {
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
  if (size > options.maxRecordBytes)
    return {
      ok: false,
      position,
      code: "oversize_record",
      reason: `row longer than ${options.maxRecordBytes} characters`,
      raw: raw(),
    };
  if (problems.length > 0)
    return { ok: false, position, code: "formula_without_value", reason: problems.join("; "), raw: raw() };
  return { ok: true, position, fields };
}
