// First: kafkajs keeps the aborted-transaction filter, record encoder and decoder it finds when it loads.
import "./kafkajs-read-committed.ts";
import { fastProduceInstalled } from "./kafkajs-fast-produce.ts";
import { fastFetchInstalled } from "./kafkajs-fast-fetch.ts";
import "./kafkajs-request-queue.ts";
import { Kafka, logLevel, type Admin, type ISocketFactory, type Producer } from "kafkajs";
import type { Logger } from "../runtime/logger.ts";
import { PipelineError } from "../runtime/errors.ts";
import type { Bus, BusRecord, ProcessorOptions, Runner, SinkOptions } from "./types.ts";
import type { KafkaSettings } from "./kafka-config.ts";
import { startKafkaConsumer, type ConsumerOptions } from "./kafka-consumer.ts";
import { createSocketTracker } from "./kafka-sockets.ts";
import { kafkajsLogCreator } from "./kafka-log.ts";
import { createTransactionalProcessor } from "./kafka-processor.ts";
import { Murmur2Partitioner } from "./kafka-partitioner.ts";
import { chunkByBytes, MAX_REQUEST_BYTES, messageBytes } from "./kafka-chunks.ts";
import { decodeMessage, encodeMessage } from "./kafka-codec.ts";
import { createKafkaSink } from "./kafka-sink.ts";
import { KAFKA_TUNING } from "./kafka-tuning.ts";

/** The Kafka bus: JSON values, idempotent producers, transactions for processors, stored positions for sinks. */
export function createKafkaBus(settings: KafkaSettings, logger: Logger): Bus {
  // Consumers get a client of their own, so their sockets can be closed apart from the producers' (kafka-consumer.ts).
  const newKafka = (socketFactory: ISocketFactory) =>
    new Kafka({
      socketFactory,
      // The instance in the client id tells group members apart in broker tools and `describeGroups`.
      clientId: `${settings.clientId}-${settings.instanceId}`,
      brokers: settings.brokers,
      ssl: settings.ssl,
      ...(settings.sasl
        ? {
            sasl: {
              mechanism: settings.sasl.mechanism,
              username: settings.sasl.username,
              password: settings.sasl.password,
            } as never,
          }
        : {}),
      logLevel: logLevel.WARN,
      logCreator: kafkajsLogCreator(logger),
      // At most 5 s between reconnection attempts: after a broker restart every client is back within seconds.
      retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 10 },
    });
  const sockets = createSocketTracker();
  const kafka = newKafka(sockets.factory);
  if (!fastProduceInstalled() || !fastFetchInstalled())
    logger.warn("kafkajs was loaded before the bus: it encodes and decodes records with its own, slower code");
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

  // Callers share one connect: a second publish during the first connect (long on a fresh broker, whose transaction
  // coordinator is still loading) got the unconnected producer and "The producer is disconnected".
  let connecting: Promise<Producer> | undefined;
  function getProducer(): Promise<Producer> {
    connecting ??= (async () => {
      producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Murmur2Partitioner });
      closers.push(() => producer!.disconnect());
      await producer.connect();
      return producer;
    })().catch((err: unknown) => {
      connecting = undefined;
      throw err;
    });
    return connecting;
  }

  async function ensureTopics(topics: string[]): Promise<void> {
    const a = await getAdmin();
    const existing = new Set(await a.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length > 0) {
      try {
        await a.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({
            topic,
            numPartitions: settings.partitions,
            replicationFactor: settings.replicationFactor,
          })),
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
        if (Date.now() > deadline)
          throw new PipelineError(`topics ${topics.join(", ")} did not become available`, { cause: err });
      }
      if (Date.now() > deadline)
        throw new PipelineError(`topics ${topics.join(", ")} have no partition leaders after 30s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function publish(topic: string, records: BusRecord[]): Promise<void> {
    if (records.length === 0) return;
    const p = await getProducer();
    for (const messages of chunkByBytes(
      records.map(encodeMessage),
      messageBytes,
      Number.MAX_SAFE_INTEGER,
      MAX_REQUEST_BYTES,
    ))
      await p.send({ topic, messages });
  }

  async function startConsumer(options: Omit<ConsumerOptions, "idleMs">): Promise<Runner> {
    const runner = await startKafkaConsumer(newKafka, { ...options, idleMs: settings.idleMs }, logger);
    closers.push(runner.stop);
    return runner;
  }

  async function runProcessor(options: ProcessorOptions): Promise<Runner> {
    const processor = createTransactionalProcessor(options, {
      kafka,
      admin: getAdmin,
      logger,
      encode: encodeMessage,
      decode: decodeMessage,
      maxBatch: KAFKA_TUNING.processorChunk.records,
      maxBytes: KAFKA_TUNING.processorChunk.bytes,
    });
    closers.push(() => processor.close());
    // Each partition has its own producer and transaction, so partitions can be processed side by side.
    return startConsumer({
      groupId: options.groupId,
      topics: options.topics,
      eachBatch: processor.eachBatch,
      onJoin: () => processor.retireAll(),
      partitionsConsumedConcurrently: KAFKA_TUNING.processorConcurrency,
      ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
    });
  }

  async function runSink(options: SinkOptions): Promise<Runner> {
    const sink = await createKafkaSink(options);
    return startConsumer({
      groupId: options.groupId,
      topics: options.topics,
      eachBatch: sink.eachBatch,
      onJoin: sink.seekToStored,
      ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
    });
  }

  return {
    kind: "kafka",
    ensureTopics,
    publish,
    runProcessor,
    runSink,
    async close() {
      for (const close of closers.reverse())
        await close().catch((err: unknown) => logger.warn({ err }, "closing a Kafka client failed"));
      closers.length = 0;
      const leftOpen = sockets.destroyAll();
      if (leftOpen > 0) logger.debug({ sockets: leftOpen }, "sockets kafkajs left open destroyed");
    },
  };
}
