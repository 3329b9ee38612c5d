import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  assertReadCommittedFilter,
  filterAbortedMessages,
  type FetchedRecord,
} from "../../bus/kafkajs-read-committed.ts";
import { KAFKAJS_VERSION, kafkajsInternals } from "../../bus/kafkajs.ts";

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

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

  it("is the filter kafkajs uses once bus/kafkajs.ts is loaded", () => {
    expect(() => assertReadCommittedFilter(kafkajsInternals.Batch)).not.toThrow();
  });
});

// The patch swaps the module kafkajs's consumer Batch requires for its filter. If kafkajs changes either file, the
// patch may silently stop applying (or apply to something else): these fail first, and say to port it.
describe("the kafkajs internals the read_committed patch replaces", () => {
  it("are those of the pinned kafkajs version", () => {
    expect(kafkajsInternals.version).toBe("2.2.4");
    expect(KAFKAJS_VERSION).toBe("2.2.4");
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies["kafkajs"]).toBe(KAFKAJS_VERSION);
  });

  it("are unchanged, byte for byte: the filter module it replaces and the Batch that calls it", () => {
    expect(sha256(kafkajsInternals.files.filter)).toBe(
      "54ce50f2a41ee1686da8b73bf8b502c7dd07c9d7cb0a494cdb36a7fc536ced8e",
    );
    expect(sha256(kafkajsInternals.files.batch)).toBe(
      "04ee8657247441599f200af5871ce6b3c4463abe941b97405502f8f5f683face",
    );
  });

  it("have the shape the patch relies on: Batch requires the filter once, at load, and calls it with the fetch", () => {
    const batch = readFileSync(kafkajsInternals.files.batch, "utf8");
    expect(batch).toContain("const filterAbortedMessages = require('./filterAbortedMessages')");
    expect(batch).toMatch(
      /this\.messages = filterAbortedMessages\(\{\s*messages: this\.messagesWithinOffset,\s*abortedTransactions,\s*\}\)/,
    );
  });
});
