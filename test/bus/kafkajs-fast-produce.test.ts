import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  encodeRecord,
  fastProduceInstalled,
  groupMessagesPerPartition,
  kafkajsOriginals,
  type RecordInput,
} from "../../bus/kafkajs-fast-produce.ts";
import { crc32c } from "../../bus/crc32c.ts";
import "../../bus/kafka.ts";

const bytes = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
);
const record: fc.Arbitrary<RecordInput> = fc.record({
  offsetDelta: fc.oneof(fc.nat(5000), fc.integer({ min: 0, max: 2 ** 31 - 1 })),
  timestampDelta: fc.oneof(fc.constant(0), fc.integer({ min: -(2 ** 40), max: 2 ** 40 })),
  key: fc.oneof(bytes, fc.constant(null)),
  value: fc.oneof(bytes, fc.constant(null), fc.string({ minLength: 5000, maxLength: 20_000 })),
  headers: fc.dictionary(
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }),
    fc.oneof(bytes, fc.array(bytes, { maxLength: 3 })),
    { maxKeys: 4 },
  ),
});

describe("kafkajs's producer fast paths", () => {
  it("encode every record to the bytes kafkajs's own encoder writes", () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(encodeRecord(r).buffer.equals(kafkajsOriginals.encodeRecord(r).buffer)).toBe(true);
      }),
      { numRuns: 2000, seed: 9 },
    );
  });

  it("encode the bus's own messages (Buffer key and value, three string headers) in one exact buffer", () => {
    const r = {
      offsetDelta: 7,
      timestampDelta: 0,
      key: Buffer.from("bench-long|12"),
      value: Buffer.from(JSON.stringify({ 地区: "杭州" })),
      headers: { "gongfu-feed": "bench-long", "gongfu-position": "line 12" },
    };
    const encoded = encodeRecord(r);
    expect(encoded.buffer.equals(kafkajsOriginals.encodeRecord(r).buffer)).toBe(true);
    expect(encoded.buf.length).toBe(encoded.offset);
  });

  it("group messages by partition in their order, as kafkajs does", () => {
    const messages = fc.array(fc.record({ key: fc.string({ maxLength: 8 }), n: fc.nat() }), { maxLength: 300 });
    fc.assert(
      fc.property(messages, fc.integer({ min: 1, max: 7 }), (ms, partitions) => {
        const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 1 }));
        const partitioner = ({ message }: { message: { key?: unknown } }) => String(message.key).length % partitions;
        const input = { topic: "t", partitionMetadata, messages: ms, partitioner };
        expect(groupMessagesPerPartition(input)).toEqual(kafkajsOriginals.groupMessagesPerPartition(input));
      }),
      { numRuns: 300, seed: 9 },
    );
  });

  it("checksum record batches as kafkajs does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(7), (a, skip) => {
        const b = Buffer.from(a).subarray(Math.min(skip, a.length));
        expect(crc32c(b)).toBe(kafkajsOriginals.crc32c(b));
      }),
      { numRuns: 1000, seed: 9 },
    );
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
  });

  it("are the ones kafkajs uses once the bus is loaded", () => {
    expect(fastProduceInstalled()).toBe(true);
  });
});
