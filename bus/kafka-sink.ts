import type { Consumer, EachBatchPayload } from "./kafkajs.ts";
import type { PartitionPosition, SinkOptions } from "./types.ts";
import { chunkByBytes, fetchedBytes } from "./kafka-chunks.ts";
import { decodeMessage } from "./kafka-codec.ts";
import { KAFKA_TUNING } from "./kafka-tuning.ts";

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * A sink's consumer side: batches go to the sink with the position to resume from, and every (re)join seeks to the
 * positions the sink stored. Those are the truth, read once before joining and kept current after every batch, so
 * the seek on GROUP_JOIN needs no await: an async seek raced kafkajs's first fetch, which then delivered a batch from
 * the Kafka-committed offset. A partition the sink never stored starts at 0 (kafkajs falls back to the earliest
 * offset if the log starts later), never at the Kafka-committed offset, which a new or restored warehouse has not seen.
 */
export async function createKafkaSink(options: SinkOptions) {
  const next = new Map<string, bigint>();
  for (const p of await options.storedPositions()) next.set(key(p.topic, p.partition), BigInt(p.offset));

  function seekToStored(consumer: Consumer, assignment: Record<string, number[]>): void {
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions)
        consumer.seek({ topic, partition, offset: String(next.get(key(topic, partition)) ?? 0n) });
    }
  }

  async function eachBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
    commitOffsetsIfNecessary,
  }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const k = key(topic, partition);
    for (const chunk of chunkByBytes(
      batch.messages,
      fetchedBytes,
      KAFKA_TUNING.sinkChunk.records,
      KAFKA_TUNING.sinkChunk.bytes,
    )) {
      if (!isRunning() || isStale()) return;
      const last = chunk[chunk.length - 1]!;
      const stored = next.get(k) ?? 0n;
      // Records below the stored position are already in the sink (a re-delivery): skip them, and never move back.
      const fresh = BigInt(chunk[0]!.offset) >= stored ? chunk : chunk.filter((m) => BigInt(m.offset) >= stored);
      const after = BigInt(last.offset) + 1n;
      const position: PartitionPosition = { topic, partition, offset: String(after > stored ? after : stored) };
      if (fresh.length > 0)
        await options.handle(
          fresh.map((m) => decodeMessage(topic, partition, m)),
          [position],
        );
      next.set(k, BigInt(position.offset));
      resolveOffset(last.offset);
      // The sink holds the truth; committing to Kafka as well keeps lag monitoring meaningful.
      await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: position.offset }] }] });
      await heartbeat();
    }
  }

  return { eachBatch, seekToStored };
}
