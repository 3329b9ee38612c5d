// First: kafkajs keeps the aborted-transaction filter and the record encoder it finds when it loads.
import { assertReadCommittedFilter } from "./kafkajs-read-committed.ts";
import { fastProduceInstalled } from "./kafkajs-fast-produce.ts";
import { fastFetchInstalled } from "./kafkajs-fast-fetch.ts";
import { Kafka, logLevel, type Admin, type Consumer, type EachBatchPayload, type Producer } from "kafkajs";
import type { Logger } from "../runtime/logger.ts";
import { PipelineError } from "../runtime/errors.ts";
import type { Bus, BusRecord, ProcessorOptions, Runner, SinkOptions } from "./types.ts";
import type { KafkaSettings } from "./kafka-config.ts";
import { createIdleTracker } from "./idle-tracker.ts";
import { kafkajsLogCreator } from "./kafka-log.ts";
import { createTransactionalProcessor } from "./kafka-processor.ts";
import { Murmur2Partitioner } from "./kafka-partitioner.ts";
import { chunkByBytes, MAX_REQUEST_BYTES, messageBytes } from "./kafka-chunks.ts";
import { decodeMessage, encodeMessage } from "./kafka-codec.ts";
import { createKafkaSink } from "./kafka-sink.ts";
import { KAFKA_TUNING } from "./kafka-tuning.ts";

interface ConsumerTuning {
  sessionTimeoutMs?: number;
  partitionsConsumedConcurrently?: number;
}

/** The Kafka bus: JSON values, idempotent producers, transactions for processors, stored positions for sinks. */
export function createKafkaBus(settings: KafkaSettings, logger: Logger): Bus {
  const kafka = new Kafka({
    // The instance in the client id tells group members apart in broker tools and `describeGroups`.
    clientId: `${settings.clientId}-${settings.instanceId}`,
    brokers: settings.brokers,
    ssl: settings.ssl,
    ...(settings.sasl ? { sasl: { mechanism: settings.sasl.mechanism, username: settings.sasl.username, password: settings.sasl.password } as never } : {}),
    logLevel: logLevel.WARN,
    logCreator: kafkajsLogCreator(logger),
    retry: { initialRetryTime: 300, retries: 10 },
  });
  if (!fastProduceInstalled() || !fastFetchInstalled()) logger.warn("kafkajs was loaded before the bus: it encodes and decodes records with its own, slower code");
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  const closers: Array<() => Promise<void>> = [];

  async function getAdmin(): Promise<Admin> {
    if (!admin) {
      admin = kafka.admin();
      await admin.connect();
      closers.push(() => admin!.disconnect());
    }
    return admin;
  }

  async function getProducer(): Promise<Producer> {
    if (!producer) {
      producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Murmur2Partitioner });
      await producer.connect();
      closers.push(() => producer!.disconnect());
    }
    return producer;
  }

  async function ensureTopics(topics: string[]): Promise<void> {
    const a = await getAdmin();
    const existing = new Set(await a.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length > 0) {
      try {
        await a.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic, numPartitions: settings.partitions, replicationFactor: settings.replicationFactor })),
        });
        logger.info({ topics: missing }, "topics created");
      } catch (err) {
        // Another stage may have created them a moment earlier; anything else shows up in the wait below.
        logger.debug({ err, topics: missing }, "topic creation raced");
      }
    }
    await waitForTopicMetadata(a, [...new Set(topics)]);
  }

  /** New topics take a moment to appear in every metadata answer; producing or subscribing before that fails. */
  async function waitForTopicMetadata(a: Admin, topics: string[]): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const { topics: meta } = await a.fetchTopicMetadata({ topics });
        if (meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } catch (err) {
        if (Date.now() > deadline) throw new PipelineError(`topics ${topics.join(", ")} did not become available`, { cause: err });
      }
      if (Date.now() > deadline) throw new PipelineError(`topics ${topics.join(", ")} have no partition leaders after 30s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function publish(topic: string, records: BusRecord[]): Promise<void> {
    if (records.length === 0) return;
    const p = await getProducer();
    for (const messages of chunkByBytes(records.map(encodeMessage), messageBytes, Number.MAX_SAFE_INTEGER, MAX_REQUEST_BYTES)) await p.send({ topic, messages });
  }

  async function startConsumer(groupId: string, topics: string[], eachBatch: (payload: EachBatchPayload) => Promise<void>, onJoin?: (c: Consumer, assignment: Record<string, number[]>) => void, tuning: ConsumerTuning = {}): Promise<Runner> {
    // Consumers read read_committed: refuse to start with kafkajs's own filter, which passes some aborted records.
    assertReadCommittedFilter();
    const sessionTimeout = tuning.sessionTimeoutMs ?? 30_000;
    // kafkajs heartbeats only between batches and after an empty fetch, so a fetch may not wait longer than a heartbeat interval.
    const heartbeatInterval = Math.min(3000, Math.floor(sessionTimeout / 3));
    const consumer = kafka.consumer({ groupId, readUncommitted: false, sessionTimeout, heartbeatInterval, ...KAFKA_TUNING.fetch, maxWaitTimeInMs: Math.min(KAFKA_TUNING.fetch.maxWaitTimeInMs, heartbeatInterval) });
    const idle = createIdleTracker(settings.idleMs);
    await consumer.connect();
    // Synchronous on purpose: kafkajs emits GROUP_JOIN before its first fetch, so a seek made here is always honoured.
    if (onJoin) {
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        try {
          onJoin(consumer, e.payload.memberAssignment);
        } catch (err) {
          logger.error({ err, groupId }, "seek to stored positions failed");
        }
      });
    }
    consumer.on(consumer.events.GROUP_JOIN, () => idle.joined());
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: tuning.partitionsConsumedConcurrently ?? 1,
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        idle.busy();
        try {
          await eachBatch(payload);
        } finally {
          idle.touch();
        }
      },
    });
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await consumer.disconnect();
    };
    closers.push(stop);
    return { idle: () => idle.untilIdle(), stop };
  }

  async function runProcessor(options: ProcessorOptions): Promise<Runner> {
    const processor = createTransactionalProcessor(options, { kafka, admin: getAdmin, logger, encode: encodeMessage, decode: decodeMessage, maxBatch: KAFKA_TUNING.processorChunk.records, maxBytes: KAFKA_TUNING.processorChunk.bytes });
    closers.push(() => processor.close());
    // Each partition has its own producer and transaction, so partitions can be processed side by side.
    const tuning: ConsumerTuning = { partitionsConsumedConcurrently: KAFKA_TUNING.processorConcurrency, ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }) };
    return startConsumer(options.groupId, options.topics, processor.eachBatch, () => processor.retireAll(), tuning);
  }

  async function runSink(options: SinkOptions): Promise<Runner> {
    const sink = await createKafkaSink(options);
    return startConsumer(options.groupId, options.topics, sink.eachBatch, sink.seekToStored, options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs });
  }

  return {
    kind: "kafka",
    ensureTopics,
    publish,
    runProcessor,
    runSink,
    async close() {
      for (const close of closers.reverse()) await close().catch((err: unknown) => logger.warn({ err }, "closing a Kafka client failed"));
      closers.length = 0;
    },
  };
}
