import { z } from "zod";
import { FeedId, SourceRef } from "./source.ts";

/**
 * What ingest produces: one record of a departmental feed, fields exactly as the source gave them (strings),
 * with where it came from. Transform owns every interpretation of the fields.
 */
export const RawRecord = z.object({
  feed: FeedId,
  source: SourceRef,
  /** sha256 of the whole source file or response, hex: the identity of what was received. */
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
  receivedAt: z.iso.datetime({ offset: true }),
  /** When the department published the source, if it says; else the time it was received. */
  vintage: z.iso.datetime({ offset: true }),
  fields: z.record(z.string(), z.string()),
});
export type RawRecord = z.infer<typeof RawRecord>;

/** Records of one source file share a key prefix so one file's records stay in order. */
export function rawRecordKey(r: Pick<RawRecord, "feed" | "checksum">): string {
  return `${r.feed}|${r.checksum.slice(0, 16)}`;
}
