import { topicNames, type TopicNames } from "../../schemas/index.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { comparable, runEmbedded } from "./expected-output.ts";
import {
  createTopics,
  lastStableOffsets,
  produceRawInput,
  settled,
  tailTopics,
  testKafka,
  type Tail,
} from "./kafka-harness.ts";
import { generateRawInput, type RawInput } from "./raw-input.ts";
import { longSpec, wideSpec } from "./records.ts";
import type { Kafka } from "../../bus/kafkajs.ts";

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
  /** Output written at or past the last stable offset: in a transaction still open, or queued behind one. */
  pendingOutput(): Promise<number>;
  /** Output of aborted transactions: below the last stable offset, in the log, never read_committed. */
  abortedOutput(): Promise<number>;
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
  const [committed, uncommitted] = await Promise.all([
    tailTopics(kafka, outputs, "read_committed"),
    tailTopics(kafka, outputs, "read_uncommitted"),
  ]);
  const embedded = await runEmbedded(input);
  return {
    brokers,
    prefix,
    topics,
    kafka,
    input,
    committed,
    uncommitted,
    expected: comparable(embedded.records, embedded.topics),
    produce: () => produceRawInput(kafka, topics, input),
    async committedOutput() {
      await settled([committed]);
      return comparable(committed.records, topics);
    },
    async pendingOutput() {
      await settled([uncommitted], 400);
      const stable = await lastStableOffsets(kafka, outputs);
      return uncommitted.records.filter((r) => BigInt(r.offset!) >= stable.get(`${r.topic}|${r.partition}`)!).length;
    },
    async abortedOutput() {
      const stable = await lastStableOffsets(kafka, outputs);
      await settled([committed, uncommitted]);
      const read = new Set(committed.records.map((r) => `${r.topic}|${r.partition}|${r.offset}`));
      return uncommitted.records.filter(
        (r) =>
          BigInt(r.offset!) < stable.get(`${r.topic}|${r.partition}`)! &&
          !read.has(`${r.topic}|${r.partition}|${r.offset}`),
      ).length;
    },
    async close() {
      await Promise.all([committed.stop(), uncommitted.stop()]);
    },
  };
}
