import type { Readable } from "node:stream";
import { REPLACEMENT, decodeStream } from "./decode.ts";
import { type CsvRecord, splitCsvRecords } from "./csv-records.ts";
import type { ParsedRow } from "./types.ts";
import type { Encoding } from "../../schemas/index.ts";
import { canonicalHeader, headerMismatch, repeatedColumn, type HeaderNeeds } from "./header-check.ts";

export interface CsvOptions {
  encoding: Encoding;
  delimiter: string;
  skipLines: number;
  maxRecordBytes: number;
  /** When set, a header without the layout's columns fails the file at its header line. */
  needs?: HeaderNeeds;
  /** Lines after the header whose first field matches are not records (footnotes). */
  ignoreLines?: RegExp;
}

/** The header a record gives, and why the file cannot be read past it (then `stop`). */
export interface TakenHeader {
  header: string[];
  problems: ParsedRow[];
  stop: boolean;
}

/** Reads the header record: names canonicalised to the spec's spelling, checked against the layout and for repeats. */
export function takeHeader(rec: CsvRecord, options: Pick<CsvOptions, "needs" | "delimiter">): TakenHeader {
  const position = { line: rec.line };
  const header = canonicalHeader(
    rec.fields.map((h) => h.replace(/^\uFEFF/, "").trim()),
    options.needs,
  );
  const problems: ParsedRow[] = [];
  if (rec.problem)
    problems.push({ ok: false, position, code: rec.problem.code, reason: `header: ${rec.problem.reason}` });
  const raw = () => rec.fields.join(options.delimiter).slice(0, 2000);
  const mismatch = options.needs && headerMismatch(header, options.needs);
  if (mismatch) {
    const reason = `${mismatch}; no line of the file was read (is format.skipLines or format.delimiter wrong?)`;
    problems.push({ ok: false, position, code: "header_mismatch", reason, raw: raw() });
    return { header, problems, stop: true };
  }
  const repeated = repeatedColumn(header);
  if (repeated) {
    problems.push({
      ok: false,
      position,
      code: "duplicate_column",
      reason: `${repeated}; no line of the file was read`,
      raw: raw(),
    });
    return { header, problems, stop: true };
  }
  return { header, problems, stop: false };
}

/** Reads a CSV byte stream into named fields, streaming: a bad line becomes a failed row, never an exception. */
export async function* readCsv(input: Readable, options: CsvOptions): AsyncGenerator<ParsedRow> {
  const text = decodeStream(input, options.encoding) as AsyncIterable<string>;
  let header: string[] | undefined;
  let skipped = 0;
  for await (const rec of splitCsvRecords(text, options.delimiter, options.maxRecordBytes)) {
    const position = { line: rec.line };
    if (skipped < options.skipLines) {
      skipped++;
      continue;
    }
    if (!header) {
      const taken = takeHeader(rec, options);
      yield* taken.problems;
      if (taken.stop) {
        input.destroy();
        return;
      }
      header = taken.header;
      continue;
    }
    if (options.ignoreLines?.test(rec.fields[0]?.trim() ?? "")) continue;
    if (rec.problem) {
      yield {
        ok: false,
        position,
        code: rec.problem.code,
        reason: rec.problem.reason,
        raw: rec.fields.join(options.delimiter).slice(0, 2000),
      };
      continue;
    }
    if (rec.fields.some((f) => f.includes(REPLACEMENT))) {
      yield {
        ok: false,
        position,
        code: "bad_encoding",
        reason: "the line holds bytes that are not characters of the file's encoding (a cut or damaged character)",
        raw: rec.fields.join(options.delimiter).slice(0, 2000),
      };
      continue;
    }
    if (rec.fields.length !== header.length) {
      yield {
        ok: false,
        position,
        code: "field_count",
        reason: `expected ${header.length} fields as in the header, found ${rec.fields.length}`,
        raw: rec.fields.join(options.delimiter).slice(0, 2000),
      };
      continue;
    }
    const fields: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) fields[header[i]!] = rec.fields[i]!;
    yield { ok: true, position, fields };
  }
  if (!header)
    yield { ok: false, position: { line: 1 }, code: "empty_file", reason: "the file has no header line (empty file)" };
}

/** The header of a CSV file and the line it is on, read as `readCsv` reads it; undefined for a file without one. */
export async function probeCsvHeader(
  input: Readable,
  options: CsvOptions,
): Promise<(TakenHeader & { line: number }) | undefined> {
  const text = decodeStream(input, options.encoding) as AsyncIterable<string>;
  let skipped = 0;
  try {
    for await (const rec of splitCsvRecords(text, options.delimiter, options.maxRecordBytes)) {
      if (skipped < options.skipLines) {
        skipped++;
        continue;
      }
      return { ...takeHeader(rec, options), line: rec.line };
    }
    return undefined;
  } finally {
    input.destroy();
  }
}
