import type { Readable } from "node:stream";
import type { Encoding } from "../../schemas/index.ts";
import { decodeStream } from "./decode.ts";
import { flattenRecord, parseJsonKeepingNumbers } from "./flatten.ts";
import { createArrayScanner, type ScanEvent } from "./json-scanner.ts";
import type { ParsedRow } from "./types.ts";

export interface JsonOptions {
  encoding: Encoding;
  /** Dot path of the data array inside a top-level object; the top level is the array when absent. */
  dataPath: string | undefined;
  maxRecordBytes: number;
}

/**
 * Reads a JSON document whose records are the elements of one array, streaming: each element is cut out and
 * parsed on its own, so memory is bounded by the largest record. Positions are array indexes (`offset`).
 */
export async function* readJson(input: Readable, options: JsonOptions): AsyncGenerator<ParsedRow> {
  const path = options.dataPath ? options.dataPath.split(".").filter(Boolean) : [];
  const scanner = createArrayScanner(path, options.maxRecordBytes);
  const text = decodeStream(input, options.encoding) as AsyncIterable<string>;
  for await (const chunk of text) {
    yield* rowsOf(scanner.push(chunk), options.maxRecordBytes);
    if (scanner.finished) break;
  }
  // What follows the data array is not needed; stop reading the file.
  input.destroy();
  yield* rowsOf(scanner.end(), options.maxRecordBytes);
}

function* rowsOf(events: ScanEvent[], maxRecordBytes: number): Generator<ParsedRow> {
  for (const event of events) {
    if (event.kind === "error") {
      yield {
        ok: false,
        position: event.index === undefined ? {} : { offset: event.index },
        code: event.code,
        reason: event.reason,
      };
      continue;
    }
    const position = { offset: event.index };
    if (event.kind === "oversize")
      yield { ok: false, position, code: "oversize_record", reason: `record longer than ${maxRecordBytes} characters` };
    else yield recordRow(event.text, event.index);
  }
}

/** One array element as a row: parsed with numbers kept as written, and flattened. */
export function recordRow(text: string, index: number): ParsedRow {
  const position = { offset: index };
  let value: unknown;
  try {
    value = parseJsonKeepingNumbers(text);
  } catch (err) {
    return {
      ok: false,
      position,
      code: "bad_json",
      reason: `not valid JSON: ${(err as Error).message}`,
      raw: text.slice(0, 2000),
    };
  }
  const flat = flattenRecord(value);
  return flat.ok
    ? { ok: true, position, fields: flat.fields }
    : { ok: false, position, code: "not_an_object", reason: flat.reason, raw: text.slice(0, 2000) };
}
