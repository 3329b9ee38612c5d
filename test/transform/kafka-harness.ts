import { randomUUID } from "node:crypto";
// Through the bus's door to kafkajs: the tails read committed data the way gongfu's own consumers do.
import { AssignerProtocol, Kafka, logLevel } from "../../bus/kafkajs.ts";
import { rawRecordKey, type TopicNames } from "../../schemas/index.ts";
import type { RawInput } from "./raw-input.ts";

/** A plain kafkajs client for what the tests themselves produce and read (never a mock: the real broker). */
export function testKafka(brokers: string): Kafka {
  return new Kafka({ clientId: "transform-test", brokers: brokers.split(","), logLevel: logLevel.NOTHING });
}

/** Creates the feeds' raw topics and the outputs with three partitions, as gongfu itself would. */
export async function createTopics(kafka: Kafka, topics: TopicNames, feeds: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const names = [...feeds.map((f) => topics.raw(f)), topics.observations, topics.dlqTransform];
    await admin.createTopics({ waitForLeaders: true, topics: names.map((topic) => ({ topic, numPartitions: 3 })) });
    // A busy broker can answer metadata without the new partitions for a moment; producing then fails.
    await waitUntil(
      async () => {
        const { topics: meta } = await admin.fetchTopicMetadata({ topics: names }).catch(() => ({ topics: [] }));
        return (
          meta.length === names.length &&
          meta.every((t) => t.partitions.length === 3 && t.partitions.every((p) => p.leader >= 0))
        );
      },
      "the new topics' metadata",
      30_000,
    );
  } finally {
    await admin.disconnect();
  }
}

/** Produces raw records to `<prefix>.raw.<feed>`, each to the partition the generator chose. */
export async function produceRawInput(kafka: Kafka, topics: TopicNames, input: RawInput[]): Promise<void> {
  const producer = kafka.producer({ retry: { retries: 10 } });
  await producer.connect();
  try {
    const byTopic = new Map<string, RawInput[]>();
    for (const item of input)
      byTopic.set(topics.raw(item.feed.id), [...(byTopic.get(topics.raw(item.feed.id)) ?? []), item]);
    for (const [topic, items] of byTopic) {
      for (let i = 0; i < items.length; i += 500) {
        const messages = items
          .slice(i, i + 500)
          .map(({ record, partition }) => ({ key: rawRecordKey(record), value: JSON.stringify(record), partition }));
        await producer.send({ topic, messages });
      }
    }
  } finally {
    await producer.disconnect();
  }
}

export interface TailedRecord {
  topic: string;
  key: string;
  value: unknown;
  partition?: number;
  offset?: string;
}

/** Every record of some topics from the beginning, kept as it arrives, at one isolation level. */
export interface Tail {
  readonly records: TailedRecord[];
  stop(): Promise<void>;
}

export async function tailTopics(
  kafka: Kafka,
  topics: string[],
  isolation: "read_committed" | "read_uncommitted",
): Promise<Tail> {
  const consumer = kafka.consumer({
    groupId: `tail-${isolation}-${randomUUID()}`,
    readUncommitted: isolation === "read_uncommitted",
    maxWaitTimeInMs: 100,
  });
  const records: TailedRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      records.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString("utf8") ?? "",
        value: JSON.parse(message.value?.toString("utf8") ?? "null"),
      });
    },
  });
  await waitUntil(() => joined, `${isolation} tail to join`, 30_000);
  return { records, stop: () => consumer.disconnect() };
}

export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until no tail has received anything for `quietMs`: they have caught up with what the broker holds. */
export async function settled(tails: Tail[], quietMs = 600): Promise<void> {
  let counts = tails.map((t) => t.records.length);
  let since = Date.now();
  await waitUntil(() => {
    const now = tails.map((t) => t.records.length);
    if (now.some((n, i) => n !== counts[i])) {
      counts = now;
      since = Date.now();
    }
    return Date.now() - since >= quietMs;
  }, "the tails to settle");
}

/** The partitions each member of a group holds, by client id (gongfu puts its instance id there). */
export async function groupAssignments(
  kafka: Kafka,
  groupId: string,
): Promise<Array<{ clientId: string; partitions: number }>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return (groups[0]?.members ?? []).map((m) => {
      const assignment = AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {};
      return { clientId: m.clientId, partitions: Object.values(assignment).reduce((n, p) => n + p.length, 0) };
    });
  } finally {
    await admin.disconnect();
  }
}

/** Each partition's last stable offset, `topic|partition` → offset: a read_committed consumer reads nothing at or past it. */
export async function lastStableOffsets(kafka: Kafka, topics: string[]): Promise<Map<string, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const result = new Map<string, bigint>();
    // kafkajs's admin lists offsets read_committed, so `offset` is the last stable offset, not the high watermark.
    for (const topic of topics)
      for (const p of await admin.fetchTopicOffsets(topic)) result.set(`${topic}|${p.partition}`, BigInt(p.offset));
    return result;
  } finally {
    await admin.disconnect();
  }
}
