import type { Readable } from "node:stream";
import type { Encoding } from "../../schemas/index.ts";
import { decodeStream } from "./decode.ts";
import { flattenRecord, parseJsonKeepingNumbers } from "./flatten.ts";
import { splitLines } from "./lines.ts";
import type { ParsedRow } from "./types.ts";

export interface NdjsonOptions {
  encoding: Encoding;
  maxRecordBytes: number;
}

/** Reads newline-delimited JSON, one object per line; a bad line becomes a failed row with its line number. */
export async function* readNdjson(input: Readable, options: NdjsonOptions): AsyncGenerator<ParsedRow> {
  const text = decodeStream(input, options.encoding) as AsyncIterable<string>;
  let lines = 0;
  for await (const { line, text: raw, oversize } of splitLines(text, options.maxRecordBytes)) {
    const position = { line };
    const body = raw.replace(/^\uFEFF/, "").trim();
    if (oversize) {
      lines++; // a line was there: the file is not empty
      yield {
        ok: false,
        position,
        code: "oversize_record",
        reason: `line longer than ${options.maxRecordBytes} characters`,
        raw: body.slice(0, 2000),
      };
      continue;
    }
    if (body === "") continue;
    lines++;
    let value: unknown;
    try {
      value = parseJsonKeepingNumbers(body);
    } catch (err) {
      yield {
        ok: false,
        position,
        code: "bad_json",
        reason: `not valid JSON: ${(err as Error).message}`,
        raw: body.slice(0, 2000),
      };
      continue;
    }
    const flat = flattenRecord(value);
    if (flat.ok) yield { ok: true, position, fields: flat.fields };
    else yield { ok: false, position, code: "not_an_object", reason: flat.reason, raw: body.slice(0, 2000) };
  }
  if (lines === 0)
    yield { ok: false, position: { line: 1 }, code: "empty_file", reason: "the file holds no JSON line (empty file)" };
}
