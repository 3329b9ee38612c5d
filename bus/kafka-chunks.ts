import type { KafkaMessage, Message } from "./kafkajs.ts";

/** Bytes a record adds to a record batch besides its key, value and headers (length, attributes, deltas). */
const RECORD_OVERHEAD = 24;

/**
 * Most bytes of records in one produce request. The broker refuses a record batch over the topic's `max.message.bytes`
 * (the broker's `message.max.bytes`, 1 MiB, unless the topic sets it) and kafkajs puts all of a request's records for
 * one partition into one batch, so a request stays below the default: that holds on topics gongfu did not create.
 * A record heavier than this on its own (a binary batch of 1 MiB) goes in a request of its own, which the topics the
 * bus creates take (KAFKA_TUNING.topicMaxMessageBytes).
 */
export const MAX_REQUEST_BYTES = 900 * 1024;

/** What an encoded message weighs on the wire, about: a binary value by its length, header values in UTF-8. */
export function messageBytes(m: Message): number {
  let n = RECORD_OVERHEAD + byteLength(m.key) + byteLength(m.value);
  if (m.headers)
    for (const [k, v] of Object.entries(m.headers)) n += k.length + byteLength(v as Buffer | string | null | undefined);
  return n;
}

/** What a fetched message weighs: its key and value (a binary value by its length). */
export function fetchedBytes(m: KafkaMessage): number {
  return RECORD_OVERHEAD + (m.key?.length ?? 0) + (m.value?.length ?? 0);
}

function byteLength(v: Buffer | string | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === "string" ? Buffer.byteLength(v, "utf8") : v.length;
}

/**
 * Cuts `items` into runs, in order, of at most `maxRecords` items and at most `maxBytes` bytes; an item heavier than
 * `maxBytes` on its own is a run of one.
 */
export function chunkByBytes<T>(
  items: readonly T[],
  weigh: (item: T) => number,
  maxRecords: number,
  maxBytes: number,
): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const w = weigh(item);
    if (run.length > 0 && (run.length >= maxRecords || bytes + w > maxBytes)) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(item);
    bytes += w;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
