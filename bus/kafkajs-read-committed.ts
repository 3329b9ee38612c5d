/**
 * kafkajs 2.2.4 hands records of aborted transactions to read_committed consumers. Its filter assumes the broker
 * lists aborted transactions by first offset (the broker lists them in the order they were aborted) and steps
 * past at most one per record, so a transaction aborted after a later-started one, or one that began before the
 * fetched range, leaks. A crashed transform leaves exactly such transactions behind, so every consumer of its
 * output would see doubled observations. This module holds the Java client's rule; bus/kafkajs.ts puts it in place of
 * kafkajs's src/consumer/filterAbortedMessages.js before kafkajs loads (batch.js keeps the filter it finds then), and
 * test/bus/kafkajs-read-committed.test.ts fails if the files it replaces or relies on change.
 */
import { PipelineError } from "../runtime/errors.ts";

export interface AbortedTransaction {
  producerId: string;
  firstOffset: string;
}

/** The parts of a fetched kafkajs record the filter reads. */
export interface FetchedRecord {
  offset: string;
  key?: Buffer | null;
  isControlRecord?: boolean;
  batchContext?: { producerId: string; inTransaction: boolean };
}

const ABORT_MARKER_KEY = Buffer.from([0, 0, 0, 0]);

/** The records of a fetch that no aborted transaction wrote (control records stay; kafkajs drops them next). */
export function filterAbortedMessages<T extends FetchedRecord>({
  messages,
  abortedTransactions,
}: {
  messages: T[];
  abortedTransactions?: AbortedTransaction[];
}): T[] {
  if (!abortedTransactions || abortedTransactions.length === 0) return messages;
  const pending = [...abortedTransactions].sort((a, b) => (BigInt(a.firstOffset) < BigInt(b.firstOffset) ? -1 : 1));
  const aborted = new Set<string>();
  return messages.filter((message) => {
    const offset = BigInt(message.offset);
    // Every aborted transaction that began at or before this record is in force from here on.
    while (pending.length > 0 && BigInt(pending[0]!.firstOffset) <= offset)
      aborted.add(String(pending.shift()!.producerId));
    const producerId = String(message.batchContext?.producerId);
    if (message.isControlRecord && message.key && Buffer.from(message.key).equals(ABORT_MARKER_KEY)) {
      aborted.delete(producerId);
      return true;
    }
    return !(message.batchContext?.inTransaction === true && aborted.has(producerId));
  });
}

/** kafkajs's consumer Batch class (src/consumer/batch.js): it filters a fetch's records as it is built. */
export type BatchClass = new (
  topic: string,
  fetchedOffset: string,
  partitionData: unknown,
) => { messages: FetchedRecord[] };

/**
 * Throws unless kafkajs's Batch filters aborted transactions correctly, which it does only when this module's filter
 * was in place before kafkajs loaded (bus/kafkajs.ts sees to that).
 */
export function assertReadCommittedFilter(Batch: BatchClass): void {
  const record = (offset: number, producerId: string): FetchedRecord => ({
    offset: String(offset),
    key: Buffer.from("k"),
    isControlRecord: false,
    batchContext: { producerId, inTransaction: true },
  });
  const abort = (offset: number, producerId: string): FetchedRecord => ({
    offset: String(offset),
    key: ABORT_MARKER_KEY,
    isControlRecord: true,
    batchContext: { producerId, inTransaction: true },
  });
  // Producer 1 began first and was aborted last, as when a restarted transform fences a crashed one.
  const batch = new Batch("probe", "0", {
    partition: 0,
    highWatermark: "4",
    messages: [record(0, "1"), record(1, "2"), abort(2, "2"), abort(3, "1")],
    abortedTransactions: [
      { producerId: "2", firstOffset: "1" },
      { producerId: "1", firstOffset: "0" },
    ],
  });
  if (batch.messages.length > 0) {
    throw new PipelineError(
      "kafkajs was loaded before bus/kafkajs.ts installed its read_committed filter, so " +
        "read_committed consumers would see aborted transactions; import kafkajs only through bus/kafkajs.ts",
    );
  }
}
