// First: kafkajs keeps the aborted-transaction filter it finds when it loads (see kafkajs-read-committed.ts).
import { assertReadCommittedFilter } from "./kafkajs-read-committed.ts";
import { Kafka, Partitioners, logLevel, type Admin, type Consumer, type EachBatchPayload, type Producer, type Message } from "kafkajs";
import type { Logger } from "../runtime/logger.ts";
import { PipelineError } from "../runtime/errors.ts";
import type { Bus, BusRecord, Delivered, PartitionPosition, ProcessorOptions, Runner, SinkOptions } from "./types.ts";
import type { KafkaSettings } from "./kafka-config.ts";
import { createIdleTracker } from "./idle-tracker.ts";
import { kafkajsLogCreator } from "./kafka-log.ts";
import { createTransactionalProcessor } from "./kafka-processor.ts";

/** Larger batches are split so a transaction and a heartbeat interval stay bounded (kafkajs stops heartbeating inside a handler). */
const MAX_CHUNK = 2000;
/** Partitions a processor works on at once. */
const PROCESSOR_CONCURRENCY = 3;

interface ConsumerTuning {
  sessionTimeoutMs?: number;
  partitionsConsumedConcurrently?: number;
}

function encode(record: BusRecord): Message {
  return { key: record.key, value: JSON.stringify(record.value), headers: record.headers ?? {} };
}

function decode(topic: string, partition: number, m: EachBatchPayload["batch"]["messages"][number]): Delivered {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) if (v !== undefined) headers[k] = Array.isArray(v) ? String(v[0]) : String(v);
  let value: unknown;
  try {
    value = m.value === null ? null : JSON.parse(m.value.toString("utf8"));
  } catch {
    // Not JSON: hand the text on, so the stage dead-letters it with its position instead of crashing.
    value = { unparseable: m.value?.toString("utf8") ?? "" };
  }
  return { topic, partition, offset: m.offset, key: m.key?.toString("utf8") ?? "", value, headers };
}

function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
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
      producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
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
    await p.send({ topic, messages: records.map(encode) });
  }

  async function startConsumer(groupId: string, topics: string[], eachBatch: (payload: EachBatchPayload) => Promise<void>, onJoin?: (c: Consumer, assignment: Record<string, number[]>) => void, tuning: ConsumerTuning = {}): Promise<Runner> {
    // Consumers read read_committed: refuse to start with kafkajs's own filter, which passes some aborted records.
    assertReadCommittedFilter();
    const sessionTimeout = tuning.sessionTimeoutMs ?? 30_000;
    // kafkajs heartbeats only between batches and after an empty fetch, so a fetch may not wait longer than a heartbeat interval.
    const heartbeatInterval = Math.min(3000, Math.floor(sessionTimeout / 3));
    const consumer = kafka.consumer({ groupId, readUncommitted: false, sessionTimeout, heartbeatInterval, maxWaitTimeInMs: heartbeatInterval, maxBytesPerPartition: 4 * 1024 * 1024 });
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
    const processor = createTransactionalProcessor(options, { kafka, admin: getAdmin, logger, encode, decode, maxBatch: MAX_CHUNK });
    closers.push(() => processor.close());
    // Each partition has its own producer and transaction, so partitions can be processed side by side.
    const tuning: ConsumerTuning = { partitionsConsumedConcurrently: PROCESSOR_CONCURRENCY, ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }) };
    return startConsumer(options.groupId, options.topics, processor.eachBatch, () => processor.retireAll(), tuning);
  }

  async function runSink(options: SinkOptions): Promise<Runner> {
    // The sink's stored positions are the truth, read once before joining and kept current after every batch, so the
    // seek on GROUP_JOIN needs no await: an async seek raced kafkajs's first fetch, which then delivered a batch from
    // the Kafka-committed offset. A partition the sink never stored starts at 0 (kafkajs falls back to the earliest
    // offset if the log starts later), never at the Kafka-committed offset, which a new or restored warehouse has not seen.
    const next = new Map<string, bigint>();
    const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
    for (const p of await options.storedPositions()) next.set(key(p.topic, p.partition), BigInt(p.offset));
    const seekToStored = (consumer: Consumer, assignment: Record<string, number[]>) => {
      for (const [topic, partitions] of Object.entries(assignment)) {
        for (const partition of partitions) consumer.seek({ topic, partition, offset: String(next.get(key(topic, partition)) ?? 0n) });
      }
    };
    return startConsumer(options.groupId, options.topics, async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
      const k = key(batch.topic, batch.partition);
      for (let start = 0; start < batch.messages.length; start += MAX_CHUNK) {
        if (!isRunning() || isStale()) return;
        const chunk = batch.messages.slice(start, start + MAX_CHUNK);
        const last = chunk[chunk.length - 1]!;
        const stored = next.get(k) ?? 0n;
        // Records below the stored position are already in the sink (a re-delivery): skip them, and never move back.
        const fresh = chunk.filter((m) => BigInt(m.offset) >= stored);
        const after = BigInt(nextOffset(last.offset));
        const position: PartitionPosition = { topic: batch.topic, partition: batch.partition, offset: String(after > stored ? after : stored) };
        if (fresh.length > 0) await options.handle(fresh.map((m) => decode(batch.topic, batch.partition, m)), [position]);
        next.set(k, BigInt(position.offset));
        resolveOffset(last.offset);
        // The warehouse holds the truth; committing to Kafka as well keeps lag monitoring meaningful.
        await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: position.offset }] }] });
        await heartbeat();
      }
    }, seekToStored, options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs });
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
