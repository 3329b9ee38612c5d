import type { Readable } from "node:stream";
import { measureInflation, type InflateLimit, type ZipPart } from "./xlsx-inflation.ts";
import { createMergeScanner, type MergeRange, type MergeScanner } from "./xlsx-merges.ts";

/** The parts a sheet needs read before its rows: names, relations, shared strings, number formats. */
export const WORKBOOK_PARTS = [
  "xl/_rels/workbook.xml.rels",
  "xl/workbook.xml",
  "xl/sharedStrings.xml",
  "xl/styles.xml",
] as const;
export type WorkbookPart = (typeof WORKBOOK_PARTS)[number];

export interface SurveyedSheet {
  /** The N of xl/worksheets/sheetN.xml, which xl/_rels/workbook.xml.rels maps to the sheet's name. */
  number: string;
  part: ZipPart;
  merges: MergeRange[];
}

export interface WorkbookSurvey {
  refused?: string;
  damage?: string;
  /** The workbook parts found, inflated (all of them small beside the sheets, and measured before kept). */
  workbook: Map<WorkbookPart, Buffer>;
  /** Complete worksheets in the order the archive stores them. */
  sheets: SurveyedSheet[];
}

const SHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;
const isWorkbookPart = (name: string): name is WorkbookPart => (WORKBOOK_PARTS as readonly string[]).includes(name);

/**
 * First pass over a workbook: measures every part against the zip-bomb limit, keeps the workbook parts and scans
 * each sheet for its merged ranges. Entry order does not matter (exceljs's own writer stores xl/workbook.xml last),
 * and nothing is read a second time from a central directory that could name other bytes than the local headers.
 */
export async function surveyWorkbook(input: Readable, limit: InflateLimit): Promise<WorkbookSurvey> {
  const kept = new Map<WorkbookPart, Buffer[]>();
  const scanners = new Map<string, MergeScanner>();
  let twice: string | undefined;
  const inflation = await measureInflation(input, limit, (name) => {
    const sheet = SHEET.exec(name)?.[1];
    if ((isWorkbookPart(name) && kept.has(name)) || (sheet !== undefined && scanners.has(sheet))) twice ??= name;
    if (isWorkbookPart(name)) {
      const chunks: Buffer[] = [];
      kept.set(name, chunks);
      return (chunk) => void chunks.push(chunk);
    }
    if (sheet === undefined) return undefined;
    const scanner = createMergeScanner();
    scanners.set(sheet, scanner);
    return (chunk) => scanner.push(chunk);
  });
  // Only complete parts count: a part cut short by damage is in neither list.
  const workbook = new Map<WorkbookPart, Buffer>();
  const sheets: SurveyedSheet[] = [];
  for (const part of inflation.parts) {
    const number = SHEET.exec(part.name)?.[1];
    if (isWorkbookPart(part.name) && !workbook.has(part.name))
      workbook.set(part.name, Buffer.concat(kept.get(part.name) ?? []));
    if (number !== undefined && !sheets.some((s) => s.number === number))
      sheets.push({ number, part, merges: scanners.get(number)?.ranges ?? [] });
  }
  const survey: WorkbookSurvey = { workbook, sheets };
  // Two entries of one name: readers disagree on which one counts, so neither is trusted.
  if (twice !== undefined)
    survey.refused = `the archive holds ${twice} twice; refused (readers disagree on which copy counts)`;
  else if (inflation.refused !== undefined) survey.refused = inflation.refused;
  if (inflation.damage !== undefined) survey.damage = inflation.damage;
  return survey;
}
