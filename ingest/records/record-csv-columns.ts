import { createReadStream } from "node:fs";
import type { RecordFeedSpec } from "../../schemas/index.ts";
import { probeCsvHeader } from "../formats/csv.ts";
import { plainCsvProblem } from "../formats/csv-plain-scan.ts";
import { openCsvColumns, type CsvColumns } from "../formats/duckdb-csv.ts";

/** A record file DuckDB reads: its columns by chunk, and where each stored column is among them. */
export interface RecordCsvColumns {
  file: CsvColumns;
  header: readonly string[];
  /** The header's line: record i (from 0) is on line headerLine + 1 + i, as every record is on one line. */
  headerLine: number;
  /** Per stored column (in the record columns' order), its index in the file, or -1 when the file lacks it. */
  at: readonly number[];
}

/**
 * The fast path for a record CSV, as ingest's produce-csv-columns.ts is for observations: DuckDB's read_csv parses
 * a plain UTF-8 file (csv-plain-scan.ts decides which) in C++, and the region, event-time and date columns, which
 * have few values, come as codes into a dictionary read once per file, as do other non-personal texts with few values
 * in the file's first records; columns no record keeps (dropped personal data, columns the spec does not name) are
 * not read into JavaScript at all. Returns why not (a string) when the file is for the JavaScript reader, having read
 * no record: other encodings, a header with problems or repeated names, anything not plain. Both readers give the
 * same fields and lines (test/ingest/records/record-readers.test.ts).
 */
export async function openRecordCsv(
  spec: RecordFeedSpec,
  path: string,
  names: readonly string[],
): Promise<RecordCsvColumns | string> {
  const format = spec.format;
  // The JavaScript reader detects and decodes other encodings; this path does not transcode personal data to disk.
  if (format.encoding !== "utf-8" && format.encoding !== "utf-8-bom") return `encoding ${format.encoding}`;
  const needs = {
    all: Object.entries(spec.records.columns)
      .filter(([, c]) => !c.optional)
      .map(([n]) => n),
    anyOf: [],
  };
  const header = await probeCsvHeader(createReadStream(path), {
    encoding: format.encoding,
    delimiter: format.delimiter,
    skipLines: format.skipLines,
    maxRecordBytes: spec.limits.maxRecordBytes,
    needs,
  });
  if (header === undefined || header.stop || header.problems.length > 0)
    return "the header needs the JavaScript reader";
  if (new Set(header.header).size !== header.header.length) return "the header repeats a name";
  const problem = await plainCsvProblem(createReadStream(path), format.delimiter, header.line);
  if (problem !== undefined) return problem;
  const at = names.map((n) => header.header.indexOf(n));
  // Dates have few values (a day each), so they cross as codes too; not a personal column, whose dictionary would
  // hold its values for the whole file.
  const dates = Object.entries(spec.records.columns)
    .filter(([, c]) => c.type === "date" && c.personal === "none")
    .map(([n]) => n);
  const coded = [...new Set([spec.records.region, spec.records.eventTime, ...dates])]
    .map((n) => header.header.indexOf(n))
    .filter((i) => i >= 0 && at.includes(i));
  // Other texts that are not personal (an entity type, an event kind) cross as codes too when the file's first
  // records show few values in them; a pseudonymised identifier never does.
  const codedIfFew = Object.entries(spec.records.columns)
    .filter(([, c]) => c.type === "string" && c.personal === "none")
    .map(([n]) => header.header.indexOf(n))
    .filter((i) => i >= 0 && at.includes(i) && !coded.includes(i));
  const unread = header.header.map((_, i) => i).filter((i) => !at.includes(i));
  const file = await openCsvColumns({
    path,
    header: header.header,
    headerLine: header.line,
    delimiter: format.delimiter,
    maxRecordBytes: spec.limits.maxRecordBytes,
    coded,
    mustCode: [],
    codedIfFew,
    unread,
  });
  if ("unreadable" in file) return file.unreadable;
  return { file, header: header.header, headerLine: header.line, at };
}
