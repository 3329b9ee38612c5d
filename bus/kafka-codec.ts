import type { KafkaMessage, Message } from "./kafkajs.ts";
import { type BusRecord, type Delivered, ENCODING_HEADER } from "./types.ts";

/**
 * A bus record as a Kafka message: key and value as Buffers, so their sizes are known and the key is hashed as is.
 * - A record with `binary` sends its bytes (not copied) as the value, with header `gongfu-encoding: <encoding>`.
 * - A delivered binary record sent on unchanged (its value a Uint8Array, its `gongfu-encoding` header kept) goes out
 *   as the same bytes with the same header, so a processor can pass one through.
 * - Anything else is JSON, as ever; a `gongfu-encoding` header it carries is dropped, since its value is not binary.
 */
export function encodeMessage(record: BusRecord): Message {
  const key = Buffer.from(record.key, "utf8");
  const { binary } = record;
  if (binary !== undefined)
    return { key, value: asBuffer(binary.bytes()), headers: { ...record.headers, [ENCODING_HEADER]: binary.encoding } };
  let headers = record.headers ?? {};
  if (headers[ENCODING_HEADER] !== undefined) {
    if (record.value instanceof Uint8Array) return { key, value: asBuffer(record.value), headers };
    const { [ENCODING_HEADER]: _notBinary, ...rest } = headers;
    headers = rest;
  }
  return { key, value: Buffer.from(JSON.stringify(record.value), "utf8"), headers };
}

/**
 * A fetched Kafka message as a delivered bus record. With a `gongfu-encoding` header the value is handed over as its
 * bytes: a Uint8Array viewing kafkajs's fetch buffer (no copy; empty when the message has no value), the header kept
 * for the stage to decode it by. Otherwise the value is JSON; a value that is not JSON is handed on as text.
 */
export function decodeMessage(topic: string, partition: number, m: KafkaMessage): Delivered {
  const headers: Record<string, string> = {};
  const raw = m.headers ?? {};
  for (const k in raw) {
    const v = raw[k];
    if (v !== undefined) headers[k] = Array.isArray(v) ? String(v[0]) : String(v);
  }
  let value: unknown;
  if (headers[ENCODING_HEADER] !== undefined) {
    // A plain Uint8Array, not the Buffer: Buffer#slice shares memory where Uint8Array#slice copies.
    value =
      m.value === null ? new Uint8Array(0) : new Uint8Array(m.value.buffer, m.value.byteOffset, m.value.byteLength);
  } else {
    try {
      value = m.value === null ? null : JSON.parse(m.value.toString("utf8"));
    } catch {
      // Not JSON: hand the text on, so the stage dead-letters it with its position instead of crashing.
      value = { unparseable: m.value?.toString("utf8") ?? "" };
    }
  }
  return { topic, partition, offset: m.offset, key: m.key?.toString("utf8") ?? "", value, headers };
}

/** The same bytes as a Buffer, without copying them. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
