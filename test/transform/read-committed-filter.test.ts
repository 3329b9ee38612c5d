import { describe, expect, it } from "vitest";
import {
  assertReadCommittedFilter,
  filterAbortedMessages,
  type FetchedRecord,
} from "../../bus/kafkajs-read-committed.ts";
import "../../bus/kafka.ts";

const record = (offset: number, producerId: string, inTransaction = true): FetchedRecord => ({
  offset: String(offset),
  key: Buffer.from("k"),
  isControlRecord: false,
  batchContext: { producerId, inTransaction },
});
const marker = (offset: number, producerId: string, kind: "abort" | "commit"): FetchedRecord => ({
  offset: String(offset),
  key: Buffer.from([0, 0, 0, kind === "abort" ? 0 : 1]),
  isControlRecord: true,
  batchContext: { producerId, inTransaction: true },
});
const dataOffsets = (kept: FetchedRecord[]) => kept.filter((m) => !m.isControlRecord).map((m) => Number(m.offset));

describe("the read_committed filter for kafkajs", () => {
  it("drops a transaction aborted after one that began later (the broker lists aborts in the order they happened)", () => {
    const messages = [
      record(0, "192"),
      record(1, "191"),
      record(2, "193"),
      marker(3, "191", "commit"),
      marker(4, "193", "abort"),
      marker(5, "192", "abort"),
      record(6, "192"),
    ];
    const abortedTransactions = [
      { producerId: "193", firstOffset: "2" },
      { producerId: "192", firstOffset: "0" },
    ];
    expect(dataOffsets(filterAbortedMessages({ messages, abortedTransactions }))).toEqual([1, 6]);
  });

  it("drops every aborted transaction that began before the fetched range, not just the first", () => {
    const messages = [
      record(1, "192"),
      record(2, "193"),
      marker(3, "193", "abort"),
      marker(4, "192", "abort"),
      record(5, "7", false),
    ];
    const abortedTransactions = [
      { producerId: "192", firstOffset: "0" },
      { producerId: "193", firstOffset: "2" },
    ];
    expect(dataOffsets(filterAbortedMessages({ messages, abortedTransactions }))).toEqual([5]);
  });

  it("keeps a producer's next transaction after its abort marker, and records written outside transactions", () => {
    const messages = [
      record(0, "5"),
      marker(1, "5", "abort"),
      record(2, "5"),
      record(3, "9", false),
      marker(4, "5", "commit"),
    ];
    expect(
      dataOffsets(filterAbortedMessages({ messages, abortedTransactions: [{ producerId: "5", firstOffset: "0" }] })),
    ).toEqual([2, 3]);
  });

  it("passes everything through when nothing was aborted", () => {
    const messages = [record(0, "1"), record(1, "2")];
    expect(filterAbortedMessages({ messages, abortedTransactions: [] })).toBe(messages);
  });

  it("is the filter kafkajs uses once the bus is loaded", () => {
    expect(() => assertReadCommittedFilter()).not.toThrow();
  });
});
