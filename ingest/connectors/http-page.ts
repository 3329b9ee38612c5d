import { closeSync, createReadStream, openSync, readFileSync, readSync } from "node:fs";
import type { FeedSpec } from "../../schemas/index.ts";
import { parseJsonKeepingNumbers } from "../formats/flatten.ts";
import { readRows, type ParsedRow } from "../formats/index.ts";
import type { SpooledBody } from "./http-body.ts";

export type PageRead =
  | {
      ok: true;
      /** Reads the page's rows again from the spooled body, streaming. */
      rows: () => AsyncIterable<ParsedRow>;
      records: number;
      next: string | undefined;
    }
  | { ok: false; code: string; reason: string };

/** A cursor is read from a page parsed whole; pages of cursor-paged APIs larger than this are refused. */
export const MAX_CURSOR_PAGE_BYTES = 64 * 1024 ** 2;

/** Reader errors that make the whole page unusable, as against one bad record among good ones. */
const PAGE_CODES = new Set(["empty_file", "truncated", "no_data_array", "not_json"]);

function failsPage(row: Extract<ParsedRow, { ok: false }>): boolean {
  if (PAGE_CODES.has(row.code) || row.position.offset === undefined) return true;
  // The scanner's own structural errors carry no raw text; a malformed element does.
  if (row.code === "bad_json") return row.raw === undefined;
  return row.code === "oversize_record" && /key/.test(row.reason);
}

/** The first `n` bytes of a file, for a dead letter's reason. */
export function head(path: string, n: number): Buffer {
  const buffer = Buffer.alloc(n);
  const fd = openSync(path, "r");
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

function at(value: unknown, path: string | undefined): unknown {
  if (!path) return value;
  let node = value;
  for (const key of path.split(".").filter(Boolean)) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function readCursor(body: SpooledBody, nextPath: string): { next: string | undefined } | string {
  if (body.bytes > MAX_CURSOR_PAGE_BYTES)
    return `a cursor-paged response of ${body.bytes} bytes is larger than ${MAX_CURSOR_PAGE_BYTES}, the most read whole for its cursor`;
  let parsed: unknown;
  try {
    parsed = parseJsonKeepingNumbers(new TextDecoder("utf-8").decode(readFileSync(body.path)).replace(/^\uFEFF/, ""));
  } catch (err) {
    return `the response is not JSON or is cut off after its data array (${(err as Error).message})`;
  }
  const next = at(parsed, nextPath);
  return { next: typeof next === "string" || typeof next === "number" ? String(next) || undefined : undefined };
}

/**
 * Reads one API response, spooled to a file, through the same format reader as a dropped file (`readRows`: any
 * encoding the reader detects, records streamed one at a time, `limits.maxRecordBytes` per record). A first pass
 * checks the page: a body that is not JSON, has no data array or is cut off is not usable as a whole, and nothing
 * of it is produced, so a retry later cannot double what was read. The caller then streams `rows()` to the bus.
 */
export async function readPage(body: SpooledBody, spec: FeedSpec): Promise<PageRead> {
  if (spec.format.kind !== "json")
    return {
      ok: false,
      code: "unsupported_format",
      reason: `an http-poll feed reads JSON responses, not ${spec.format.kind}`,
    };
  const rows = () => readRows(() => createReadStream(body.path), spec);
  let records = 0;
  for await (const row of rows()) {
    if (!row.ok && failsPage(row)) {
      const start = head(body.path, 80).toString("utf8").replace(/\s+/g, " ");
      return {
        ok: false,
        code: "bad_response",
        reason: `the response is not usable: ${row.reason}; it starts with ${JSON.stringify(start)}`,
      };
    }
    records++;
  }
  const pagination = spec.connector.kind === "http-poll" ? spec.connector.pagination : undefined;
  if (pagination?.kind !== "cursor") return { ok: true, rows, records, next: undefined };
  const cursor = readCursor(body, pagination.nextPath);
  if (typeof cursor === "string") return { ok: false, code: "bad_response", reason: cursor };
  return { ok: true, rows, records, next: cursor.next };
}
