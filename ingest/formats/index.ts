import type { Readable } from "node:stream";
import type { FeedSpec } from "../../schemas/index.ts";
import { readCsv } from "./csv.ts";
import type { ParsedRow } from "./types.ts";

export type { ParsedRow } from "./types.ts";

/** Reads a source in the feed's format. Each format is a streaming reader of ParsedRows. */
export function readRows(input: Readable, spec: FeedSpec): AsyncIterable<ParsedRow> {
  const format = spec.format;
  switch (format.kind) {
    case "csv":
      return readCsv(input, { encoding: format.encoding, delimiter: format.delimiter, skipLines: format.skipLines, maxRecordBytes: spec.limits.maxRecordBytes });
    default:
      return unsupported(format.kind);
  }
}

async function* unsupported(kind: string): AsyncGenerator<ParsedRow> {
  yield { ok: false, position: {}, code: "unsupported_format", reason: `format ${kind} is not supported yet` };
}
