import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  decodeRecord,
  fastFetchInstalled,
  kafkajsOriginalDecodeRecord,
  type RecordContext,
  type RecordReader,
} from "../../bus/kafkajs-fast-fetch.ts";
import { kafkajsOriginals, type RecordInput } from "../../bus/kafkajs-fast-produce.ts";
import "../../bus/kafka.ts";

const bytes = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
);
const record: fc.Arbitrary<RecordInput> = fc.record({
  offsetDelta: fc.oneof(fc.nat(5000), fc.integer({ min: 0, max: 2 ** 31 - 1 })),
  timestampDelta: fc.oneof(fc.constant(0), fc.integer({ min: -(2 ** 45), max: 2 ** 45 })),
  key: fc.oneof(bytes, fc.constant(null)),
  value: fc.oneof(bytes, fc.constant(null)),
  headers: fc.dictionary(
    fc.oneof(
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
      fc.constantFrom("toString", "constructor", "__proto__"),
    ),
    fc.oneof(bytes, fc.array(bytes, { maxLength: 3 })),
    { maxKeys: 4 },
  ),
});
const context: fc.Arbitrary<RecordContext> = fc.record({
  firstOffset: fc
    .oneof(fc.nat(10 ** 9), fc.constantFrom(2 ** 53 - 3, 2 ** 62))
    .map(String)
    .map((s) => (s === String(2 ** 62) ? "4611686018427387904" : s)),
  firstTimestamp: fc.oneof(fc.constantFrom("-1", "1795953962379"), fc.constant("9223372036854775000")),
  magicByte: fc.constant(2),
  isControlBatch: fc.boolean(),
  timestampType: fc.constantFrom(0, 1),
  maxTimestamp: fc.constantFrom("1795953962400", ""),
});

const require = createRequire(import.meta.url);
const Decoder = require("kafkajs/src/protocol/decoder.js") as new (buffer: Buffer) => RecordReader;

/** A record's bytes as kafkajs's producer writes them, and kafkajs decoders positioned past its length prefix, as its fetch decoder passes them. */
function reader(r: RecordInput, skip: number): () => RecordReader {
  const buffer = Buffer.concat([Buffer.alloc(skip), kafkajsOriginals.encodeRecord(r).buffer]);
  let at = skip;
  while (buffer[at]! >= 0x80) at++;
  return () => Object.assign(new Decoder(buffer), { offset: at + 1 });
}

describe("kafkajs's fetch fast path", () => {
  it("decodes every record to the object kafkajs's own decoder gives", () => {
    fc.assert(
      fc.property(record, context, fc.nat(3), (r, ctx, skip) => {
        const fresh = reader(r, skip);
        const mine = fresh();
        const theirs = fresh();
        expect(decodeRecord(mine, ctx)).toEqual(kafkajsOriginalDecodeRecord(theirs, ctx));
        expect(mine.offset).toBe(theirs.offset);
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it("is the decoder kafkajs uses once the bus is loaded", () => {
    expect(fastFetchInstalled()).toBe(true);
  });
});
