import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { createInflateSink } from "./xlsx-inflate-sink.ts";
import type { ZipPart } from "./xlsx-inflation.ts";
import type { MergeRange } from "./xlsx-merges.ts";
import type { WorkbookPart, WorkbookSurvey } from "./xlsx-survey.ts";
import { createZipPuller, type ZipPuller } from "./xlsx-zip-puller.ts";

/** The parts of exceljs's worksheet reader that are used here (its typings omit `name`). */
export interface StreamSheet extends AsyncIterable<StreamRow> {
  /** Undefined when xl/workbook.xml does not list the sheet. */
  name: string | undefined;
}

/** A sheet with the merged ranges the survey found in it. */
export type SurveyedStreamSheet = StreamSheet & { merges: MergeRange[] };

export interface StreamRow {
  number: number;
  eachCell(
    options: { includeEmpty: boolean },
    fn: (cell: { value: unknown; numFmt?: string }, column: number) => void,
  ): void;
}

/** exceljs's streaming reader, below its own unzip: each part is handed over by us. */
interface ReaderParts {
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { rId: string; name: string }[] };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(text: AsyncIterable<string>, sheetNo: string): Iterable<{ value: StreamSheet }>;
}

/**
 * Second pass over a surveyed workbook: sheets one after another in stored order, rows one after another, memory
 * flat. exceljs parses the XML, but the archive is walked here: exceljs's own unzip loop pauses the entry stream
 * between reads and loses entries whose end comes meanwhile (exceljs #3064: under load, workbooks came through
 * with a sheet or xl/workbook.xml missing), and it decodes each chunk alone (a character split between two chunks
 * became two U+FFFD). A sheet the caller does not iterate is skipped without inflating it.
 */
export async function* openWorkbook(
  input: Readable,
  survey: WorkbookSurvey,
  options: { styles: "cache" | "ignore" },
): AsyncGenerator<SurveyedStreamSheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
    styles: options.styles,
  });
  const parts = reader as unknown as ReaderParts;
  const part = (name: WorkbookPart) => {
    const bytes = survey.workbook.get(name);
    return bytes === undefined ? undefined : Readable.from([bytes]);
  };
  const rels = part("xl/_rels/workbook.xml.rels");
  const book = part("xl/workbook.xml");
  const strings = part("xl/sharedStrings.xml");
  const styles = part("xl/styles.xml");
  if (rels) await parts._parseRels(rels);
  if (book) await parts._parseWorkbook(book);
  if (strings) for await (const _ of parts._parseSharedStrings(strings));
  if (styles) await parts._parseStyles(styles);
  const zip = createZipPuller(input);
  try {
    for (const sheet of survey.sheets) {
      if (!(await skipTo(zip, sheet.part.dataOffset)))
        throw new Error(`the file ended before ${sheet.part.name} on the second reading (did it change?)`);
      const text = inflatedText(zip, sheet.part);
      try {
        for (const { value } of parts._parseWorksheet(text, sheet.number))
          yield Object.assign(value, { name: listedName(parts, sheet.number), merges: sheet.merges });
      } finally {
        await text.return(undefined);
      }
    }
  } finally {
    input.destroy();
  }
}

/**
 * The sheet's name as xl/workbook.xml lists it, through the workbook's relations; undefined when it is not listed
 * (exceljs would call it "SheetN"). Targets are relative to xl/ or absolute (/xl/worksheets/…): writers use both.
 */
function listedName(parts: ReaderParts, number: string): string | undefined {
  const target = `worksheets/sheet${number}.xml`;
  const rel = parts.workbookRels?.find((r) => r.Target.replace(/^\/?xl\//, "").replace(/^\.\//, "") === target);
  return rel && parts.model?.sheets?.find((s) => s.rId === rel.Id)?.name;
}

async function skipTo(zip: ZipPuller, offset: number): Promise<boolean> {
  return offset >= zip.offset && (await zip.skip(offset - zip.offset));
}

/** Compressed bytes per step: about 40 KB of sheet XML, a few hundred rows, parsed before the next step is read. */
const SLICE = 4 * 1024;

/** A part's data inflated and decoded as one UTF-8 text, in pieces (a character may span two inflated chunks). */
async function* inflatedText(zip: ZipPuller, part: ZipPart): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder("utf-8");
  let text = "";
  const sink = createInflateSink(part.method, (chunk) => void (text += decoder.decode(chunk, { stream: true })));
  try {
    for (let left = part.dataSize; left > 0; ) {
      const data = await zip.some(Math.min(left, SLICE));
      if (!data) throw new Error(`the file ended inside ${part.name} on the second reading (did it change?)`);
      left -= data.length;
      await sink.write(data);
      if (text.length === 0) continue;
      const piece = text;
      text = "";
      yield piece;
    }
    await sink.end();
    const failure = sink.failure();
    if (failure !== undefined) throw new Error(`${part.name} cannot be inflated: ${failure}`);
    text += decoder.decode();
    if (text.length > 0) yield text;
  } finally {
    sink.close();
  }
}
