import type { Readable } from "node:stream";
import { REPLACEMENT, decodeStream } from "./decode.ts";
import { splitCsvRecords } from "./csv-records.ts";
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
      header = canonicalHeader(
        rec.fields.map((h) => h.replace(/^\uFEFF/, "").trim()),
        options.needs,
      );
      if (rec.problem) yield { ok: false, position, code: rec.problem.code, reason: `header: ${rec.problem.reason}` };
      const mismatch = options.needs && headerMismatch(header, options.needs);
      if (mismatch) {
        yield {
          ok: false,
          position,
          code: "header_mismatch",
          reason: `${mismatch}; no line of the file was read (is format.skipLines or format.delimiter wrong?)`,
          raw: rec.fields.join(options.delimiter).slice(0, 2000),
        };
        input.destroy();
        return;
      }
      const repeated = repeatedColumn(header);
      if (repeated) {
        yield {
          ok: false,
          position,
          code: "duplicate_column",
          reason: `${repeated}; no line of the file was read`,
          raw: rec.fields.join(options.delimiter).slice(0, 2000),
        };
        input.destroy();
        return;
      }
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
