import { describe, expect, it } from "vitest";
import type { Delivered } from "../../bus/index.ts";
import { splitBatch } from "../../load/split-batch.ts";

const message = (offset: number, partition = 0): Delivered => ({ topic: "t", partition, offset: String(offset), key: "k", value: {} });

describe("splitBatch", () => {
  it("gives each part the position after its own last record, and the last part the batch's position", () => {
    // Offsets 10..14 with a gap (a transaction marker at 13); the batch's position may lie past the last record.
    const batch = [10, 11, 12, 14].map((o) => message(o));
    const parts = splitBatch(batch, [{ topic: "t", partition: 0, offset: "16" }], 3);
    expect(parts.map((p) => [p.batch.map((m) => m.offset), p.positions])).toEqual([
      [["10", "11", "12"], [{ topic: "t", partition: 0, offset: "13" }]],
      [["14"], [{ topic: "t", partition: 0, offset: "16" }]],
    ]);
  });

  it("leaves a batch that fits as it is", () => {
    const batch = [message(1), message(2)];
    expect(splitBatch(batch, [], 2)).toEqual([{ batch, positions: [] }]);
  });

  it("splits a batch without positions (embedded bus) into parts without positions", () => {
    const parts = splitBatch([1, 2, 3].map((o) => message(o)), [], 2);
    expect(parts.map((p) => [p.batch.length, p.positions.length])).toEqual([[2, 0], [1, 0]]);
  });

  it("keeps a batch of several partitions whole, since a position cannot be placed inside it", () => {
    const batch = [message(1, 0), message(1, 1), message(2, 0)];
    const positions = [{ topic: "t", partition: 0, offset: "3" }, { topic: "t", partition: 1, offset: "2" }];
    expect(splitBatch(batch, positions, 1)).toEqual([{ batch, positions }]);
  });
});
