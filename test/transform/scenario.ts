import { topicNames, type TopicNames } from "../../schemas/index.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { comparable, runEmbedded } from "./expected-output.ts";
import { createTopics, produceRawInput, settled, tailTopics, testKafka, type Tail } from "./kafka-harness.ts";
import { generateRawInput, type RawInput } from "./raw-input.ts";
import { longSpec, wideSpec } from "./records.ts";
import type { Kafka } from "kafkajs";

export interface Scenario {
  brokers: string;
  prefix: string;
  topics: TopicNames;
  kafka: Kafka;
  input: RawInput[];
  /** What embedded mode publishes for the same input: the exactly-once answer the Kafka run must reproduce. */
  expected: string[];
  /** Both output topics, read as a downstream consumer would (read_committed) and with aborted data too. */
  committed: Tail;
  uncommitted: Tail;
  /** Sends the raw input to `<prefix>.raw.<feed>`. */
  produce(): Promise<void>;
  /** Committed output so far, comparable with `expected`. */
  committedOutput(): Promise<string[]>;
  /** Records in aborted or still open transactions: seen read_uncommitted, never read_committed. */
  uncommittedGap(): Promise<number>;
  close(): Promise<void>;
}

/** Topics of its own, `count` generated raw records, tails on the outputs and the embedded run's answer. */
export async function createScenario(name: string, count: number): Promise<Scenario> {
  const brokers = kafkaBrokers();
  const prefix = uniqueTopicPrefix(name);
  const topics = topicNames(prefix);
  const kafka = testKafka(brokers);
  const input = generateRawInput(count, prefix);
  await createTopics(kafka, topics, [wideSpec.id, longSpec.id]);
  const outputs = [topics.observations, topics.dlqTransform];
  const [committed, uncommitted] = await Promise.all([tailTopics(kafka, outputs, "read_committed"), tailTopics(kafka, outputs, "read_uncommitted")]);
  const embedded = await runEmbedded(input);
  return {
    brokers, prefix, topics, kafka, input, committed, uncommitted,
    expected: comparable(embedded.records, embedded.topics),
    produce: () => produceRawInput(kafka, topics, input),
    async committedOutput() {
      await settled([committed]);
      return comparable(committed.records, topics);
    },
    async uncommittedGap() {
      await settled([committed, uncommitted], 400);
      return uncommitted.records.length - committed.records.length;
    },
    async close() {
      await Promise.all([committed.stop(), uncommitted.stop()]);
    },
  };
}
