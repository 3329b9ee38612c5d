import { z } from "zod";
import { SourceRef } from "./source.ts";

export const DeadLetterReason = z.object({
  /** The field or path the reason is about, e.g. `region` or `fields.年份`. */
  path: z.string().optional(),
  message: z.string().min(1),
  /** A stable machine code: `unknown_region`, `bad_period`, `parse_error`, ... */
  code: z.string().min(1),
  /** Closest matches for a failed lookup. */
  candidates: z.array(z.string()).optional(),
});
export type DeadLetterReason = z.infer<typeof DeadLetterReason>;

/** Anything a stage could not accept, with the original payload and every reason. Nothing is dropped silently. */
export const DeadLetter = z.object({
  stage: z.enum(["ingest", "transform", "load"]),
  feed: z.string().min(1),
  source: SourceRef,
  payload: z.unknown(),
  reasons: z.array(DeadLetterReason).min(1),
  at: z.iso.datetime({ offset: true }),
});
export type DeadLetter = z.infer<typeof DeadLetter>;
