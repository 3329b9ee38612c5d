import { ARROW_ENCODING, decodeObservationBatch, decodeRawBatch } from "./arrow-codec.ts";
import type { ObservationBatch } from "./observation-batch.ts";
import type { RawBatch } from "./raw-batch.ts";

/**
 * The header a serialising bus (Kafka) sets on a message whose value is a batch's binary form; the bus names it
 * itself (bus/kafka-codec.ts), since bus/ sits below schemas/ in nothing and must not import it.
 */
export const ENCODING_HEADER = "gongfu-encoding";

/** A batch and how to send it: the object for a bus that hands values over, its Arrow form for one that serialises. */
export function batchRecord<B extends RawBatch | ObservationBatch>(
  key: string,
  batch: B,
  encode: (b: B) => Uint8Array,
  headers: Record<string, string>,
): { key: string; value: B; headers: Record<string, string>; binary: { encoding: string; bytes: () => Uint8Array } } {
  return { key, value: batch, headers, binary: { encoding: ARROW_ENCODING, bytes: () => encode(batch) } };
}

const isBatch = (value: unknown, kind: string): boolean =>
  typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === kind && !Array.isArray(value);

/**
 * The raw batch a delivered value holds: the object itself (embedded bus), or decoded from Arrow bytes (Kafka).
 * Undefined for anything else, e.g. a single raw record as JSON from an external producer. Throws BatchDecodeError
 * on Arrow bytes that are not a raw batch.
 */
export function rawBatchOf(
  value: unknown,
  headers: Readonly<Record<string, string>> | undefined,
): RawBatch | undefined {
  if (value instanceof Uint8Array && headers?.[ENCODING_HEADER] === ARROW_ENCODING) return decodeRawBatch(value);
  return isBatch(value, "raw") ? (value as RawBatch) : undefined;
}

/** As rawBatchOf, for observation batches. */
export function observationBatchOf(
  value: unknown,
  headers: Readonly<Record<string, string>> | undefined,
): ObservationBatch | undefined {
  if (value instanceof Uint8Array && headers?.[ENCODING_HEADER] === ARROW_ENCODING)
    return decodeObservationBatch(value);
  return isBatch(value, "observations") ? (value as ObservationBatch) : undefined;
}
