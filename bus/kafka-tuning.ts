/**
 * How big the Kafka bus's units of work are. A transaction, a warehouse write and a produce request each cost a
 * fixed time whatever their size (round trips, markers, a DuckDB commit), so they are as large as memory, the broker's
 * record-batch limit and the time between heartbeats allow (kafkajs does not heartbeat inside a handler).
 */
export const KAFKA_TUNING = {
  /** Most records and bytes of input per processor transaction. */
  processorChunk: { records: 20_000, bytes: 8 * 1024 ** 2 },
  /** Most records and bytes per sink call. */
  sinkChunk: { records: 50_000, bytes: 16 * 1024 ** 2 },
  /**
   * The broker answers a fetch once 1 MiB is there or after half a second, so a consumer that keeps up still gets
   * batches large enough to pay for their transactions; a response holds at most 24 MiB, 8 MiB per partition.
   */
  fetch: { minBytes: 1024 ** 2, maxWaitTimeInMs: 500, maxBytes: 24 * 1024 ** 2, maxBytesPerPartition: 8 * 1024 ** 2 },
  /** Input partitions a processor works on at once: each has its own producer and transaction. */
  processorConcurrency: 3,
  /**
   * `max.message.bytes` of the topics the bus creates: the largest record batch the broker takes. The broker's default
   * (`message.max.bytes`, 1 MiB + 12 bytes) is below one binary batch of 1 MiB with its key, headers and framing.
   */
  topicMaxMessageBytes: 8 * 1024 ** 2,
} as const;
