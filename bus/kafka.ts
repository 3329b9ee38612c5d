import {
  ConfigResourceTypes,
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type ISocketFactory,
  type Producer,
} from "./kafkajs.ts";
import type { Logger } from "../runtime/logger.ts";
import { PipelineError } from "../runtime/errors.ts";
import type { Bus, BusRecord, ProcessorOptions, Runner, SinkOptions } from "./types.ts";
import { kafkaConnection, type KafkaSettings } from "./kafka-config.ts";
import { startKafkaConsumer, type ConsumerOptions } from "./kafka-consumer.ts";
import { createSocketTracker } from "./kafka-sockets.ts";
import { kafkajsLogCreator } from "./kafka-log.ts";
import { createTransactionalProcessor } from "./kafka-processor.ts";
import { chunkByBytes, MAX_REQUEST_BYTES, messageBytes } from "./kafka-chunks.ts";
import { decodeMessage, encodeMessage } from "./kafka-codec.ts";
import { createKafkaSink } from "./kafka-sink.ts";
import { KAFKA_TUNING } from "./kafka-tuning.ts";

/**
 * The Kafka bus: JSON values (or a record's binary form, kafka-codec.ts), idempotent producers, transactions for
 * processors, stored positions for sinks.
 */
export function createKafkaBus(settings: KafkaSettings, logger: Logger): Bus {
  // Consumers get a client of their own, so their sockets can be closed apart from the producers' (kafka-consumer.ts).
  const newKafka = (socketFactory: ISocketFactory) =>
    new Kafka({
      socketFactory,
      // The instance in the client id tells group members apart in broker tools and `describeGroups`.
      clientId: `${settings.clientId}-${settings.instanceId}`,
      ...kafkaConnection(settings),
      logLevel: logLevel.WARN,
      logCreator: kafkajsLogCreator(logger),
      // At most 5 s between reconnection attempts: after a broker restart every client is back within seconds.
      retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 10 },
    });
  const sockets = createSocketTracker();
  const kafka = newKafka(sockets.factory);
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
      // kafkajs's DefaultPartitioner is the Java client's (murmur2 of the key's bytes): keys land where other clients put them.
      producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
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
            // One binary batch of 1 MiB plus its key and headers is over the broker's default record-batch limit.
            configEntries: [{ name: "max.message.bytes", value: String(KAFKA_TUNING.topicMaxMessageBytes) }],
          })),
        });
        logger.info({ topics: missing }, "topics created");
      } catch (err) {
        // Another stage may have created them a moment earlier; anything else shows up in the wait below.
        logger.debug({ err, topics: missing }, "topic creation raced");
      }
    }
    await waitForTopicMetadata(a, [...new Set(topics)]);
    await warnOfSmallMessageLimits(
      a,
      [...new Set(topics)].filter((t) => existing.has(t)),
    );
  }

  /** Topics made before the bus set `max.message.bytes` (or by hand) may refuse a binary batch: say so, and how to fix it. */
  async function warnOfSmallMessageLimits(a: Admin, topics: string[]): Promise<void> {
    if (topics.length === 0) return;
    try {
      const { resources } = await a.describeConfigs({
        includeSynonyms: false,
        resources: topics.map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: ["max.message.bytes"],
        })),
      });
      for (const r of resources) {
        const limit = Number(r.configEntries.find((e) => e.configName === "max.message.bytes")?.configValue);
        if (Number.isFinite(limit) && limit < KAFKA_TUNING.topicMaxMessageBytes)
          logger.warn(
            { topic: r.resourceName, maxMessageBytes: limit, wanted: KAFKA_TUNING.topicMaxMessageBytes },
            `topic ${r.resourceName} takes messages up to ${limit} bytes, less than a ` +
              `binary batch may need; raise it: kafka-configs --alter --entity-type topics ` +
              `--entity-name ${r.resourceName} --add-config max.message.bytes=${KAFKA_TUNING.topicMaxMessageBytes}`,
          );
      }
    } catch (err) {
      // Describing configs needs a permission a deployment may not grant; the broker's refusal would say the same later.
      logger.debug({ err, topics }, "could not read the topics' max.message.bytes");
    }
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
      maxTransactionRecords: KAFKA_TUNING.processorChunk.records,
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
