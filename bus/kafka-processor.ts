import {
  Partitioners,
  type Admin,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
  type Message,
  type Producer,
} from "./kafkajs.ts";
import type { Logger } from "../runtime/logger.ts";
import { PipelineError } from "../runtime/errors.ts";
import type { BusRecord, Delivered, ProcessorOptions } from "./types.ts";
import { chunkByBytes, fetchedBytes, MAX_REQUEST_BYTES, messageBytes } from "./kafka-chunks.ts";

export interface TransactionalProcessorDeps {
  kafka: Kafka;
  admin(): Promise<Admin>;
  logger: Logger;
  encode(record: BusRecord): Message;
  decode(topic: string, partition: number, m: KafkaMessage): Delivered;
  /** Most records per transaction, unless the options set it; and most bytes of input records per transaction. */
  maxTransactionRecords: number;
  maxBytes: number;
}

/** One input partition's transactional producer, and the next offset to process: committed by a predecessor or by it. */
interface PartitionSlot {
  producer: Producer;
  transactionalId: string;
  next: bigint;
}

/**
 * Consume-transform-produce on kafkajs transactions, one transactional producer per input partition.
 *
 * kafkajs commits offsets in a transaction without the group generation (no KIP-447), so fencing a zombie must come
 * from the transactional id: it is derived from the partition (`<group>.<topic>.<partition>`), as in Kafka Streams'
 * first exactly-once design. Whoever processes a partition next, a restart or another instance after a rebalance,
 * bumps that id's epoch, which aborts the predecessor's open transaction and rejects its late commits. Only then is
 * the committed offset read, so records a predecessor did commit are skipped rather than produced twice.
 */
export function createTransactionalProcessor(options: ProcessorOptions, deps: TransactionalProcessorDeps) {
  const log = deps.logger.child({ component: "processor", groupId: options.groupId });
  const slots = new Map<string, Promise<PartitionSlot>>();
  const maxTransactionRecords = options.maxTransactionRecords ?? deps.maxTransactionRecords;

  async function committedOffset(topic: string, partition: number): Promise<bigint> {
    const admin = await deps.admin();
    const [offsets] = await admin.fetchOffsets({ groupId: options.groupId, topics: [topic] });
    const offset = offsets?.partitions.find((p) => p.partition === partition)?.offset ?? "-1";
    return offset === "-1" ? -1n : BigInt(offset);
  }

  async function openSlot(topic: string, partition: number): Promise<PartitionSlot> {
    const transactionalId = `${options.groupId}.${topic}.${partition}`;
    const producer = deps.kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 60_000,
      // kafkajs's DefaultPartitioner is the Java client's (murmur2 of the key's bytes): keys land where other clients put them.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Retry quickly: after each commit the coordinator answers CONCURRENT_TRANSACTIONS until its markers are
      // written (the Java client waits 20 ms); and never give up on a retriable error, as an idempotent producer must.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 20, maxRetryTime: 1000 },
    });
    await producer.connect();
    try {
      // kafkajs sends InitProducerId on the first transaction(): that is the fence; the empty abort sends nothing.
      await (await producer.transaction()).abort();
      const committed = await committedOffset(topic, partition);
      log.info({ topic, partition, transactionalId, committed: committed.toString() }, "partition producer ready");
      return { producer, transactionalId, next: committed };
    } catch (err) {
      await producer.disconnect().catch(() => {});
      throw err;
    }
  }

  function slotFor(topic: string, partition: number): Promise<PartitionSlot> {
    const key = `${topic}\u0000${partition}`;
    let slot = slots.get(key);
    if (!slot) {
      slot = openSlot(topic, partition);
      slots.set(key, slot);
      slot.catch(() => slots.delete(key));
    }
    return slot;
  }

  /** Forgets a partition's producer (after a failed transaction or a rebalance); the next batch opens and fences anew. */
  function drop(topic: string, partition: number): void {
    const key = `${topic}\u0000${partition}`;
    const slot = slots.get(key);
    slots.delete(key);
    void slot?.then((s) => s.producer.disconnect()).catch(() => {});
  }

  async function commit(
    slot: PartitionSlot,
    topic: string,
    partition: number,
    out: Map<string, BusRecord[]>,
    next: string,
  ): Promise<void> {
    const tx = await slot.producer.transaction();
    try {
      // No compression codec is set: kafkajs only ships GZIP, and a consumer in another language should not need a plugin.
      // kafkajs puts a request's records for one partition in one record batch, which the broker caps: bounded requests.
      for (const [t, records] of out) {
        for (const messages of chunkByBytes(
          records.map(deps.encode),
          messageBytes,
          Number.MAX_SAFE_INTEGER,
          MAX_REQUEST_BYTES,
        ))
          await tx.send({ topic: t, messages });
      }
      // A committed offset is the next one to read, hence last + 1.
      await tx.sendOffsets({
        consumerGroupId: options.groupId,
        topics: [{ topic, partitions: [{ partition, offset: next }] }],
      });
      await tx.commit();
    } catch (err) {
      await tx.abort().catch(() => {});
      // The producer may be fenced or in an unknown state; a new one re-reads the committed offset, so whether the
      // commit actually landed or not, the batch is neither lost nor doubled.
      drop(topic, partition);
      throw new PipelineError(
        `transaction ${slot.transactionalId} ending at offset ${next} failed; the records will be read again`,
        { cause: err },
      );
    }
  }

  async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const slot = await slotFor(topic, partition);
    // Records below `next` are committed already (by a predecessor, or by this slot before the consumer's position
    // was rewound): whatever kafkajs delivers again, they are never produced twice.
    const first = batch.messages[0];
    const fresh =
      first !== undefined && BigInt(first.offset) >= slot.next
        ? batch.messages
        : batch.messages.filter((m) => BigInt(m.offset) >= slot.next);
    const skipped = batch.messages.length - fresh.length;
    if (skipped > 0) {
      log.info({ topic, partition, skipped, next: slot.next.toString() }, "already committed records skipped");
      if (fresh.length === 0) resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
    }
    for (const chunk of chunkByBytes(fresh, fetchedBytes, maxTransactionRecords, deps.maxBytes)) {
      if (!isRunning() || isStale()) return;
      const out = new Map<string, BusRecord[]>();
      const send = (t: string, records: BusRecord[]) => {
        const list = out.get(t);
        if (list) for (const r of records) list.push(r);
        else out.set(t, [...records]);
      };
      await options.handle(
        chunk.map((m) => deps.decode(topic, partition, m)),
        { send },
      );
      const last = chunk[chunk.length - 1]!;
      const next = (BigInt(last.offset) + 1n).toString();
      await commit(slot, topic, partition, out, next);
      slot.next = BigInt(next);
      log.debug({ topic, partition, records: chunk.length, next }, "transaction committed");
      resolveOffset(last.offset);
      // kafkajs does not heartbeat while a handler runs: one heartbeat per bounded transaction keeps the membership.
      await heartbeat();
    }
  }

  return {
    eachBatch,
    /** On every (re)join: partitions may have moved, so every producer is fenced and the committed offsets re-read. */
    retireAll(): void {
      for (const key of [...slots.keys()]) {
        const [topic, partition] = key.split("\u0000");
        drop(topic!, Number(partition));
      }
    },
    async close(): Promise<void> {
      const open = [...slots.values()];
      slots.clear();
      for (const slot of open)
        await slot
          .then((s) => s.producer.disconnect())
          .catch((err: unknown) => log.warn({ err }, "closing a partition producer failed"));
    },
  };
}
