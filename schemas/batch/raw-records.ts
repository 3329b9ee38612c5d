import type { RawRecord } from "../raw-record.ts";
import { rawBatchOf } from "./on-the-bus.ts";
import { positionAt } from "./positions.ts";
import type { RawBatch } from "./raw-batch.ts";
import { textAt } from "./text-column.ts";

/**
 * Row `i` of a raw batch as the single record it was read as. Only what goes wrong is made into objects: transform
 * calls this for a dead letter's payload, and tools and tests to show a batch row by row.
 */
export function rawRecordAt(b: RawBatch, i: number): RawRecord {
  const fields: Record<string, string> = {};
  for (const f of b.fields) {
    const text = textAt(f.column, i);
    if (text !== undefined) fields[f.name] = text;
  }
  return {
    feed: b.feed,
    source: { feed: b.feed, uri: b.uri, position: positionAt(b.position, i) },
    checksum: b.checksum,
    receivedAt: b.receivedAt,
    vintage: textAt(b.vintage, i) ?? b.receivedAt,
    fields,
  };
}

/** The records a raw topic's message carries: every row of a batch, or the message itself if it is one record. */
export function rawRecordsOf(value: unknown, headers?: Readonly<Record<string, string>>): RawRecord[] {
  const batch = rawBatchOf(value, headers);
  if (!batch) return [value as RawRecord];
  return Array.from({ length: batch.rows }, (_, i) => rawRecordAt(batch, i));
}
