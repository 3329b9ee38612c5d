import type { BusRecord } from "../bus/index.ts";
import { HEADERS, formatPosition, type DeadLetter, type FeedSpec, type SourcePosition } from "../schemas/index.ts";

/** A dead letter for the ingest DLQ: the part of a source that could not be read, where it is, and why. */
export function ingestDeadLetter(
  spec: FeedSpec,
  uri: string,
  position: SourcePosition,
  reason: { code: string; message: string },
  at: string,
  payload: unknown = null,
  checksum?: string,
): BusRecord {
  const value: DeadLetter = {
    stage: "ingest",
    feed: spec.id,
    source: { feed: spec.id, uri, position },
    payload,
    reasons: [reason],
    at,
  };
  const headers: Record<string, string> = { [HEADERS.feed]: spec.id, [HEADERS.position]: formatPosition(position) };
  if (checksum) headers[HEADERS.checksum] = checksum;
  return { key: `${spec.id}|${uri}`, value, headers };
}
