// Beside the bus rather than in cli/: the command line's status and readiness and the benchmarks both need it.
import { countUnreadRecords, unreadKey } from "./consumer-lag.ts";
import { kafkaConnection, type KafkaSettings } from "./kafka-config.ts";
import type { Admin, Kafka } from "./kafkajs.ts";

/** A short-lived admin client with the same connection settings (SSL, SASL) as the bus; for status, lag and readiness. */
export async function withKafkaAdmin<T>(
  settings: KafkaSettings,
  fn: (admin: Admin, kafka: Kafka) => Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  // kafkajs loads with the first admin client, so a command that may need one (status, readiness) pays only then.
  const { Kafka, logLevel } = await import("./kafkajs.ts");
  const timeoutMs = options.timeoutMs ?? 5000;
  const kafka = new Kafka({
    clientId: `${settings.clientId}-admin`,
    ...kafkaConnection(settings),
    connectionTimeout: Math.min(timeoutMs, 3000),
    requestTimeout: timeoutMs,
    retry: { retries: 1, initialRetryTime: 200 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin, kafka);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** Per partition of one topic: what is committed by a group and the newest offset. */
export interface PartitionLag {
  partition: number;
  committed: number;
  end: number;
  lag: number;
}

export interface TopicLag {
  group: string;
  topic: string;
  lag: number;
  partitions: PartitionLag[];
}

/**
 * Lag of consumer groups per topic: the records a group has not read yet, from its committed offset (a partition
 * the group never committed counts from its earliest offset) to the newest. With `kafka`, transaction markers are
 * not counted (bus/consumer-lag.ts), so a caught-up group on a transactional topic shows 0, not 1 per partition.
 */
export async function fetchConsumerLag(admin: Admin, groups: string[], kafka?: Kafka): Promise<TopicLag[]> {
  const out: TopicLag[] = [];
  const ends = new Map<string, Array<{ partition: number; offset: string; low: string }>>();
  for (const group of groups) {
    const committed = await admin.fetchOffsets({ groupId: group });
    for (const { topic, partitions } of committed) {
      if (!ends.has(topic)) ends.set(topic, await admin.fetchTopicOffsets(topic));
      const topicEnds = ends.get(topic)!;
      const sorted = [...topicEnds].sort((a, b) => a.partition - b.partition);
      const rows = sorted.map((e): PartitionLag => {
        const c = partitions.find((p) => p.partition === e.partition);
        const committedOffset = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(e.low);
        return {
          partition: e.partition,
          committed: committedOffset,
          end: Number(e.offset),
          lag: Math.max(0, Number(e.offset) - committedOffset),
        };
      });
      if (kafka) {
        const unread = await countUnreadRecords(
          kafka,
          rows.map((r) => ({ topic, partition: r.partition, from: r.committed, to: r.end })),
        );
        for (const r of rows) r.lag = unread.get(unreadKey(topic, r.partition)) ?? r.lag;
      }
      out.push({ group, topic, lag: rows.reduce((n, r) => n + r.lag, 0), partitions: rows });
    }
  }
  return out;
}

/** The consumer groups of this deployment: every group whose id starts with `<prefix>-`. */
export async function listPipelineGroups(admin: Admin, prefix: string): Promise<string[]> {
  const { groups } = await admin.listGroups();
  return groups
    .map((g) => g.groupId)
    .filter((id) => id.startsWith(`${prefix}-`))
    .sort();
}
