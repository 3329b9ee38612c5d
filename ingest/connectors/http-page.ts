import type { FeedSpec } from "../../schemas/index.ts";
import { flattenRecord, parseJsonKeepingNumbers } from "../formats/flatten.ts";
import type { ParsedRow } from "../formats/types.ts";

export type PageRead =
  | { ok: true; rows: ParsedRow[]; next: string | undefined }
  | { ok: false; code: string; reason: string };

function at(value: unknown, path: string | undefined): unknown {
  if (!path) return value;
  let node = value;
  for (const key of path.split(".").filter(Boolean)) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Reads one JSON API response: the records in the array at `format.dataPath` (positions are array indexes)
 * and, for cursor paging, the next cursor at `nextPath`. A body that is not JSON, or cut off, is not usable
 * as a whole: nothing of it is produced, so a retry later cannot double what was read.
 */
export function readPage(body: Buffer, spec: FeedSpec): PageRead {
  if (spec.format.kind !== "json")
    return {
      ok: false,
      code: "unsupported_format",
      reason: `an http-poll feed reads JSON responses, not ${spec.format.kind}`,
    };
  const dataPath = spec.format.dataPath;
  let parsed: unknown;
  try {
    parsed = parseJsonKeepingNumbers(new TextDecoder("utf-8").decode(body).replace(/^\uFEFF/, ""));
  } catch (err) {
    const text = body.subarray(0, 80).toString("utf8").replace(/\s+/g, " ");
    return {
      ok: false,
      code: "bad_response",
      reason: `the response is not JSON or is cut off (${(err as Error).message}); it starts with ${JSON.stringify(text)}`,
    };
  }
  const data = at(parsed, dataPath);
  if (!Array.isArray(data))
    return {
      ok: false,
      code: "bad_response",
      reason: dataPath
        ? `the response has no array at format.dataPath ${dataPath}`
        : "the response is not a JSON array; set format.dataPath",
    };
  const max = spec.limits.maxRecordBytes;
  const rows = data.map((element: unknown, offset): ParsedRow => {
    const position = { offset };
    const text = JSON.stringify(element) ?? "";
    if (text.length > max)
      return {
        ok: false,
        position,
        code: "oversize_record",
        reason: `record longer than ${max} characters`,
        raw: text.slice(0, 2000),
      };
    const flat = flattenRecord(element);
    return flat.ok
      ? { ok: true, position, fields: flat.fields }
      : { ok: false, position, code: "not_an_object", reason: flat.reason, raw: text.slice(0, 2000) };
  });
  const pagination = spec.connector.kind === "http-poll" ? spec.connector.pagination : undefined;
  const next = pagination?.kind === "cursor" ? at(parsed, pagination.nextPath) : undefined;
  return {
    ok: true,
    rows,
    next: typeof next === "string" || typeof next === "number" ? String(next) || undefined : undefined,
  };
}
