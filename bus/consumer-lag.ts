import type { Kafka } from "./kafkajs.ts";

/** The part of kafkajs's internal cluster and broker this module uses (kafkajs 2.2.4, src/cluster, src/broker). */
interface FetchedPartition {
  partition: number;
  errorCode: number;
  highWatermark: string;
  messages: Array<{ offset: string; isControlRecord?: boolean }>;
}
interface InternalBroker {
  fetch(request: {
    replicaId: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: string; maxBytes: number }> }>;
  }): Promise<{ responses: Array<{ topicName: string; partitions: FetchedPartition[] }> }>;
}
interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(where: { nodeId: string }): Promise<InternalBroker>;
}

/** One partition's unread range: from the group's committed offset up to the end offset (exclusive). */
export interface UnreadRange {
  topic: string;
  partition: number;
  from: number;
  to: number;
}

const READ_COMMITTED = 1;
/** Ranges longer than this are not read: a marker or two in them changes nothing an alert cares about. */
export const MAX_SCANNED_LAG = 10_000;
const FETCH_BYTES = 4 * 1024 ** 2;

function createCluster(kafka: Kafka): InternalCluster {
  const key = Object.getOwnPropertySymbols(kafka).find((s) => s.description === "private:Kafka:createCluster");
  const create = key === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[key];
  if (typeof create !== "function") throw new Error("kafkajs has no private:Kafka:createCluster (not kafkajs 2.2.x?)");
  return (create as (options: object) => InternalCluster)({ allowAutoTopicCreation: false });
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * How many records a consumer still has to read in each range, not counting transaction markers: the end offset
 * of a partition written in transactions sits one past a commit marker, which no consumer ever "reads", so
 * `end - committed` stays 1 per partition for a group that is caught up. Each range up to MAX_SCANNED_LAG is
 * fetched read_committed from its committed offset and its data records are counted; longer ranges keep
 * `to - from`. Returns the counts by `topic\0partition`.
 */
export async function countUnreadRecords(kafka: Kafka, ranges: readonly UnreadRange[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const scanned = ranges.filter((r) => r.to > r.from && r.to - r.from <= MAX_SCANNED_LAG);
  for (const r of ranges) counts.set(keyOf(r.topic, r.partition), Math.max(0, r.to - r.from));
  if (scanned.length === 0) return counts;
  const cluster = createCluster(kafka);
  await cluster.connect();
  try {
    for (const range of scanned) {
      await cluster.addTargetTopic(range.topic);
      const leaders = cluster.findLeaderForPartitions(range.topic, [range.partition]);
      const nodeId = Object.keys(leaders)[0];
      if (nodeId === undefined) continue;
      const broker = await cluster.findBroker({ nodeId });
      let offset = range.from;
      let data = 0;
      while (offset < range.to) {
        const response = await broker.fetch({
          replicaId: -1,
          isolationLevel: READ_COMMITTED,
          maxWaitTime: 0,
          minBytes: 0,
          maxBytes: FETCH_BYTES,
          topics: [
            {
              topic: range.topic,
              partitions: [{ partition: range.partition, fetchOffset: String(offset), maxBytes: FETCH_BYTES }],
            },
          ],
        });
        const part = response.responses[0]?.partitions.find((p) => p.partition === range.partition);
        const records = (part?.messages ?? []).filter((m) => Number(m.offset) >= offset && Number(m.offset) < range.to);
        if (part === undefined || part.errorCode !== 0 || records.length === 0) break;
        data += records.filter((m) => !m.isControlRecord).length;
        offset = Number(records[records.length - 1]!.offset) + 1;
      }
      // What could not be read (an error, an empty answer) still counts as unread.
      counts.set(keyOf(range.topic, range.partition), data + Math.max(0, range.to - offset));
    }
  } finally {
    await cluster.disconnect().catch(() => {});
  }
  return counts;
}

export function unreadKey(topic: string, partition: number): string {
  return keyOf(topic, partition);
}
