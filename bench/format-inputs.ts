import { createReadStream, createWriteStream, existsSync, renameSync } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";

/** The per-format parsing scenarios, each reading the generated CSV's rows re-encoded in its format. */
export const FORMAT_SCENARIOS = {
  "parse-csv-gbk": { extension: "gbk.csv", format: "{ kind: csv, encoding: gbk }" },
  "parse-xlsx": { extension: "xlsx", format: "{ kind: xlsx }" },
  "parse-ndjson": { extension: "ndjson", format: "{ kind: ndjson }" },
} as const;
export type FormatScenario = keyof typeof FORMAT_SCENARIOS;
export const isFormatScenario = (s: string): s is FormatScenario => s in FORMAT_SCENARIOS;

/** A sheet holds at most 1,048,576 rows: the workbook gets one sheet per million. */
const ROWS_PER_SHEET = 1_000_000;

/**
 * The generated CSV converted to a scenario's format next to it (made once, outside any timing): the same header
 * and the same rows, so every parser reads the same observations. Written to a temporary name first, so a run
 * stopped part-way leaves no half-written input behind.
 */
export async function ensureFormatInput(csv: string, scenario: FormatScenario): Promise<string> {
  const path = csv.replace(/\.csv$/, `.${FORMAT_SCENARIOS[scenario].extension}`);
  if (existsSync(path)) return path;
  const partial = `${path}.partial`;
  const lines = createInterface({ input: createReadStream(csv, "utf8"), crlfDelay: Infinity });
  if (scenario === "parse-xlsx") await writeXlsx(lines, partial);
  else await writeText(lines, partial, scenario);
  renameSync(partial, path);
  return path;
}

async function writeText(
  lines: AsyncIterable<string>,
  path: string,
  scenario: "parse-csv-gbk" | "parse-ndjson",
): Promise<void> {
  const out = createWriteStream(path);
  let header: string[] | undefined;
  let chunk = "";
  const put = async (text: string) => {
    if (!out.write(scenario === "parse-csv-gbk" ? iconv.encode(text, "gbk") : text)) await once(out, "drain");
  };
  for await (const line of lines) {
    if (scenario === "parse-csv-gbk") chunk += `${line}\n`;
    else if (!header) header = line.split(",");
    else {
      const cells = line.split(",");
      chunk += `${JSON.stringify(Object.fromEntries(header.map((h, i) => [h, h === "数值" ? Number(cells[i]) : cells[i]])))}\n`;
    }
    if (chunk.length > 1 << 16) {
      await put(chunk);
      chunk = "";
    }
  }
  await put(chunk);
  out.end();
  await once(out, "finish");
}

async function writeXlsx(lines: AsyncIterable<string>, path: string): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
  let header: string[] | undefined;
  let sheet: ExcelJS.Worksheet | undefined;
  let rows = 0;
  let sheets = 0;
  for await (const line of lines) {
    if (!header) {
      header = line.split(",");
      continue;
    }
    if (!sheet || rows === ROWS_PER_SHEET) {
      sheet?.commit();
      sheet = book.addWorksheet(`part${++sheets}`);
      sheet.addRow(header).commit();
      rows = 0;
    }
    const cells: (string | number)[] = line.split(",");
    cells[3] = Number(cells[3]);
    sheet.addRow(cells).commit();
    rows++;
  }
  sheet?.commit();
  await book.commit();
}
