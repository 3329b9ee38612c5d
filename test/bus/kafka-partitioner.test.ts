import { describe, expect, it } from "vitest";
import { Partitioners } from "../../bus/kafkajs.ts";

const metadata = (n: number, leaderless: number[] = []) =>
  Array.from({ length: n }, (_, partitionId) => ({
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 1,
    replicas: [1],
    isr: [1],
    partitionErrorCode: 0,
    offlineReplicas: [],
  }));

// Utils.murmur2 of the Java client, from its own tests (UtilsTest.testMurmur2).
const JAVA_MURMUR2: Array<[string, number]> = [
  ["21", -973932308],
  ["foobar", -790332482],
  ["a-little-bit-long-string", -985981536],
  ["a-little-bit-longer-string", -1486304829],
  ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971],
  ["abc", 479470107],
];

describe("the partitioner the bus's producers use (kafkajs's DefaultPartitioner)", () => {
  it("puts a key where the Java client does: toPositive(murmur2(key bytes)) mod partitions", () => {
    const partition = Partitioners.DefaultPartitioner();
    for (const partitions of [3, 7, 12])
      for (const [key, hash] of JAVA_MURMUR2) {
        const expected = (hash & 0x7fffffff) % partitions;
        const message = { key, value: null };
        expect(partition({ topic: "t", partitionMetadata: metadata(partitions), message })).toBe(expected);
        // The bus sends keys as Buffers: the same bytes, the same partition.
        expect(
          partition({
            topic: "t",
            partitionMetadata: metadata(partitions),
            message: { ...message, key: Buffer.from(key) },
          }),
        ).toBe(expected);
      }
  });

  it("keeps a partition set on the message and spreads keyless messages over partitions with a leader", () => {
    const partition = Partitioners.DefaultPartitioner();
    expect(
      partition({ topic: "t", partitionMetadata: metadata(3), message: { key: "k", value: null, partition: 2 } }),
    ).toBe(2);
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++)
      seen.add(partition({ topic: "t", partitionMetadata: metadata(3, [1]), message: { value: "v" } }));
    expect([...seen].sort()).toEqual([0, 2]);
  });
});
