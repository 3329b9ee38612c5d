import type { Readable } from "node:stream";
import type ExcelJS from "exceljs";
import { centralDirectoryProblem } from "./xlsx-central-directory.ts";
import type { ZipPart } from "./xlsx-inflation.ts";
import { parseRange, type MergeRange } from "./xlsx-merges.ts";
import type { StreamRow, StreamSheet } from "./xlsx-workbook.ts";

/** Workbooks the streaming reader cannot name are read whole; above this size they are refused instead. */
export const IN_MEMORY_LIMIT = 64 * 1024 ** 2;

export type InMemoryWorkbook = { sheets: { sheet: StreamSheet; merges: MergeRange[] }[] } | { refused: string };

/**
 * Reads a whole workbook with exceljs's in-memory reader (it reads the zip's central directory, so entry order
 * does not matter) and presents its sheets like the streaming reader's. `parts` are the entries measureInflation
 * counted: the directory must name no others, or the workbook is refused unread.
 */
export async function loadWorkbook(input: Readable, parts: readonly ZipPart[], limit = IN_MEMORY_LIMIT): Promise<InMemoryWorkbook> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      input.destroy();
      return { refused: `the workbook stores xl/workbook.xml after its sheets, so it must be read whole, and it is larger than ${limit} bytes; re-save it with Excel or WPS, or split it` };
    }
    chunks.push(chunk as Buffer);
  }
  const archive = Buffer.concat(chunks);
  const problem = centralDirectoryProblem(archive, parts);
  if (problem) return { refused: `the workbook stores xl/workbook.xml after its sheets, so it must be read whole, and ${problem}; re-save it with Excel or WPS` };
  // Loaded on first use: exceljs and its dependencies are a third of the CLI's start-up, and most runs read no workbook.
  const { default: Excel } = await import("exceljs");
  const workbook: ExcelJS.Workbook = new Excel.Workbook();
  await workbook.xlsx.load(archive as unknown as ArrayBuffer);
  return {
    sheets: workbook.worksheets.map((ws) => ({
      sheet: {
        name: ws.name,
        iterator: (async function* () {})(),
        async *[Symbol.asyncIterator](): AsyncGenerator<StreamRow> {
          for (let n = 1; n <= ws.rowCount; n++) yield ws.getRow(n) as unknown as StreamRow;
        },
      },
      merges: ((ws.model as { merges?: string[] }).merges ?? []).map(parseRange).filter((r): r is MergeRange => r !== undefined),
    })),
  };
}
