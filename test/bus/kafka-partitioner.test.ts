import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { murmur2, Murmur2Partitioner, partitionForKey } from "../../bus/kafka-partitioner.ts";

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require("kafkajs/src/producer/partitioners/default/murmur2.js") as (
  key: Buffer | string,
) => number;
const metadata = (n: number, leaderless: number[] = []) =>
  Array.from({ length: n }, (_, partitionId) => ({
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 1,
    replicas: [1],
    isr: [1],
    partitionErrorCode: 0,
  }));

describe("the murmur2 partitioner", () => {
  it("hashes any key as the Java client and kafkajs do", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (a) => {
        expect(murmur2(a)).toBe(kafkajsMurmur2(Buffer.from(a)));
      }),
      { numRuns: 3000, seed: 3 },
    );
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (s) => {
        expect(murmur2(Buffer.from(s))).toBe(kafkajsMurmur2(s));
      }),
      { numRuns: 3000, seed: 3 },
    );
  });

  it("matches the Java client's partitions for known keys", () => {
    // Utils.murmur2 in the Java client: "21" -> -973932308, "" -> 275646681.
    expect(murmur2(Buffer.from("21"))).toBe(-973932308);
    expect(murmur2(Buffer.from(""))).toBe(275646681);
    expect(partitionForKey("21", 3)).toBe((-973932308 & 0x7fffffff) % 3);
  });

  it("keeps a partition set on the message and spreads keyless messages over partitions with a leader", () => {
    const partition = Murmur2Partitioner();
    expect(
      partition({ topic: "t", partitionMetadata: metadata(3), message: { key: "k", value: null, partition: 2 } }),
    ).toBe(2);
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++)
      seen.add(partition({ topic: "t", partitionMetadata: metadata(3, [1]), message: { value: "v" } }));
    expect([...seen].sort()).toEqual([0, 2]);
  });
});
