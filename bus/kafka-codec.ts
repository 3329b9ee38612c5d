import type { KafkaMessage, Message } from "./kafkajs.ts";
import type { BusRecord, Delivered } from "./types.ts";

/** A bus record as a Kafka message: key and JSON value as Buffers, so their sizes are known and the key is hashed as is. */
export function encodeMessage(record: BusRecord): Message {
  return {
    key: Buffer.from(record.key, "utf8"),
    value: Buffer.from(JSON.stringify(record.value), "utf8"),
    headers: record.headers ?? {},
  };
}

/** A fetched Kafka message as a delivered bus record; a value that is not JSON is handed on as text. */
export function decodeMessage(topic: string, partition: number, m: KafkaMessage): Delivered {
  const headers: Record<string, string> = {};
  const raw = m.headers ?? {};
  for (const k in raw) {
    const v = raw[k];
    if (v !== undefined) headers[k] = Array.isArray(v) ? String(v[0]) : String(v);
  }
  let value: unknown;
  try {
    value = m.value === null ? null : JSON.parse(m.value.toString("utf8"));
  } catch {
    // Not JSON: hand the text on, so the stage dead-letters it with its position instead of crashing.
    value = { unparseable: m.value?.toString("utf8") ?? "" };
  }
  return { topic, partition, offset: m.offset, key: m.key?.toString("utf8") ?? "", value, headers };
}
