import { randomUUID } from "node:crypto";
import { Kafka, logLevel } from "../../../bus/kafkajs.ts";

export interface ReadRecord {
  topic: string;
  partition: number;
  key: string;
  value: unknown;
  headers: Record<string, string>;
}

/**
 * Everything a topic holds right now, read back with a plain kafkajs consumer from the real broker: the high
 * watermarks say how many records there are, so "produced once" is an exact count, not a wait for quiet.
 */
export async function readTopics(brokers: string, topics: string[], timeoutMs = 30_000): Promise<ReadRecord[]> {
  const kafka = new Kafka({ clientId: "ingest-test-reader", brokers: brokers.split(","), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const want = new Map<string, bigint>();
  try {
    const existing = new Set(await admin.listTopics());
    for (const topic of topics.filter((t) => existing.has(t))) {
      for (const p of await admin.fetchTopicOffsets(topic))
        if (BigInt(p.high) > BigInt(p.low)) want.set(`${topic}/${p.partition}`, BigInt(p.high));
    }
  } finally {
    await admin.disconnect();
  }
  if (want.size === 0) return [];
  const consumer = kafka.consumer({ groupId: `ingest-test-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const records: ReadRecord[] = [];
  const reached = new Set<string>();
  await consumer.connect();
  try {
    await consumer.subscribe({
      topics: [...new Set([...want.keys()].map((k) => k.slice(0, k.lastIndexOf("/"))))],
      fromBeginning: true,
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${records.length} records of ${topics.join(", ")} before timing out`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(v);
          records.push({
            topic,
            partition,
            key: message.key?.toString("utf8") ?? "",
            // A batch travels as Arrow bytes (header gongfu-encoding): handed over as bytes for rawRecordsOf.
            value:
              headers["gongfu-encoding"] !== undefined && message.value
                ? new Uint8Array(message.value)
                : JSON.parse(message.value?.toString("utf8") ?? "null"),
            headers,
          });
          const id = `${topic}/${partition}`;
          if (BigInt(message.offset) + 1n >= (want.get(id) ?? 0n)) reached.add(id);
          if (reached.size === want.size) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}
