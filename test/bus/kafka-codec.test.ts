import { describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage } from "../../bus/kafka-codec.ts";
import { fetchedBytes, messageBytes } from "../../bus/kafka-chunks.ts";
import type { KafkaMessage, Message } from "../../bus/kafkajs.ts";
import { ENCODING_HEADER, type BusRecord } from "../../bus/types.ts";

/** What kafkajs hands a consumer for a message it fetched: Buffers, header values too, sliced from one response. */
function fetched(m: Message, offset = "7"): KafkaMessage {
  const response = Buffer.alloc(64 + (m.value?.length ?? 0));
  let value: Buffer | null = null;
  if (m.value !== null && m.value !== undefined) {
    const bytes = Buffer.isBuffer(m.value) ? m.value : Buffer.from(m.value);
    bytes.copy(response, 13);
    value = response.subarray(13, 13 + bytes.length);
  }
  const headers: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) headers[k] = Buffer.from(String(v));
  return {
    key: m.key === null || m.key === undefined ? null : Buffer.from(m.key),
    value,
    headers,
    offset,
    timestamp: "0",
    attributes: 0,
    size: 0,
  } as KafkaMessage;
}

const arrowish = () => Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);

describe("the Kafka codec", () => {
  it("sends a JSON value as before, and reads it back", () => {
    const record: BusRecord = { key: "杭州", value: { a: 1, b: ["x"] }, headers: { "gongfu-feed": "f" } };
    const m = encodeMessage(record);
    expect(m.value).toEqual(Buffer.from('{"a":1,"b":["x"]}'));
    expect(m.headers).toEqual({ "gongfu-feed": "f" });
    const d = decodeMessage("t", 2, fetched(m));
    expect(d).toEqual({
      topic: "t",
      partition: 2,
      offset: "7",
      key: "杭州",
      value: record.value,
      headers: record.headers,
    });
  });

  it("hands a value that is not JSON on as text", () => {
    const d = decodeMessage("t", 0, fetched({ key: "k", value: Buffer.from("not json"), headers: {} }));
    expect(d.value).toEqual({ unparseable: "not json" });
  });

  it("sends a binary record's bytes uncopied, with the encoding in a header beside the record's own", () => {
    const backing = new Uint8Array(1000);
    const bytes = new Uint8Array(backing.buffer, 5, 300);
    bytes.set(arrowish());
    let calls = 0;
    const m = encodeMessage({
      key: "k",
      value: { ignored: "on Kafka" },
      headers: { "gongfu-feed": "f" },
      binary: {
        encoding: "arrow-ipc-stream",
        bytes: () => {
          calls++;
          return bytes;
        },
      },
    });
    expect(calls).toBe(1);
    const value = m.value as Buffer;
    expect(Buffer.isBuffer(value)).toBe(true);
    expect(value.buffer).toBe(backing.buffer);
    expect(value.byteOffset).toBe(5);
    expect(value.byteLength).toBe(300);
    expect(m.headers).toEqual({ "gongfu-feed": "f", [ENCODING_HEADER]: "arrow-ipc-stream" });
    const buffer = Buffer.from(arrowish());
    expect(encodeMessage({ key: "k", value: null, binary: { encoding: "x", bytes: () => buffer } }).value).toBe(buffer);
  });

  it("hands a binary value over as a Uint8Array viewing the fetched bytes, not parsed, the header kept", () => {
    const m = fetched(encodeMessage({ key: "k", value: null, binary: { encoding: "arrow", bytes: arrowish } }));
    const d = decodeMessage("t", 1, m);
    const value = d.value as Uint8Array;
    expect(value).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(value)).toBe(false);
    expect(value.buffer).toBe(m.value!.buffer);
    expect(value.byteOffset).toBe(m.value!.byteOffset);
    expect([...value]).toEqual([...arrowish()]);
    expect(d.headers).toEqual({ [ENCODING_HEADER]: "arrow" });
    expect(decodeMessage("t", 1, { ...m, value: null }).value).toEqual(new Uint8Array(0));
  });

  it("sends a delivered binary record on unchanged, and drops a stray encoding header from a JSON value", () => {
    const delivered = decodeMessage(
      "t",
      0,
      fetched(
        encodeMessage({ key: "k", value: null, headers: { h: "1" }, binary: { encoding: "arrow", bytes: arrowish } }),
      ),
    );
    const again = encodeMessage(delivered);
    expect([...(again.value as Buffer)]).toEqual([...arrowish()]);
    expect((again.value as Buffer).buffer).toBe((delivered.value as Uint8Array).buffer);
    expect(again.headers).toEqual({ h: "1", [ENCODING_HEADER]: "arrow" });
    const json = encodeMessage({ key: "k", value: { n: 1 }, headers: { h: "1", [ENCODING_HEADER]: "arrow" } });
    expect(json.value).toEqual(Buffer.from('{"n":1}'));
    expect(json.headers).toEqual({ h: "1" });
  });

  it("weighs a binary message by its bytes' length, sent and fetched", () => {
    const bytes = new Uint8Array(1024 * 1024);
    const m = encodeMessage({ key: "k", value: null, binary: { encoding: "arrow", bytes: () => bytes } });
    const headers = ENCODING_HEADER.length + "arrow".length;
    const sent = messageBytes(m);
    expect(sent - messageBytes({ key: Buffer.from("k"), value: null, headers: {} })).toBe(bytes.length + headers);
    expect(fetchedBytes(fetched(m)) - fetchedBytes(fetched({ key: "k", value: null }))).toBe(bytes.length);
  });
});
