import { appendFileSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createStateStore, type SourceMemo } from "../../ingest/state-store.ts";

const memo = (i: number): SourceMemo => ({ uri: `f${i}.csv`, at: "2026-01-01T00:00:00.000Z", records: 1, rejected: 0 });

describe("the ingest state store", () => {
  it("records a produced file by appending, rewriting the state file only once per many files", () => {
    const dir = mkdtempSync(join(tmpdir(), "gongfu-state-"));
    const store = createStateStore(dir);
    store.save("feed", { sources: Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`old${i}`, memo(i)])) });
    const inodes = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      store.recordSource("feed", `new${i}`, memo(i));
      inodes.add(statSync(join(dir, "feed.json")).ino);
    }
    // A rewrite every max(256, sources/8) records: 3 or 4, not 1000.
    expect(inodes.size).toBeLessThanOrEqual(5);
    expect(store.produced("feed", "new999")).toEqual(memo(999));
  });

  it("keeps what was recorded across a restart, even when the last journal line was cut by a crash", () => {
    const dir = mkdtempSync(join(tmpdir(), "gongfu-state-"));
    const store = createStateStore(dir);
    store.recordSource("feed", "a", memo(1));
    store.recordSource("feed", "b", memo(2));
    appendFileSync(join(dir, "feed.journal"), '{"checksum":"c","sour');
    const again = createStateStore(dir);
    expect(again.produced("feed", "a")).toEqual(memo(1));
    expect(again.produced("feed", "b")).toEqual(memo(2));
    expect(again.produced("feed", "c")).toBeUndefined();
    expect(Object.keys(again.load("feed").sources)).toEqual(["a", "b"]);
  });

  it("folds the journal into the JSON file on flush, which is what status reads", () => {
    const dir = mkdtempSync(join(tmpdir(), "gongfu-state-"));
    const store = createStateStore(dir);
    store.recordSource("feed", "a", memo(1));
    store.flush();
    expect(JSON.parse(readFileSync(join(dir, "feed.json"), "utf8"))).toEqual({ sources: { a: memo(1) } });
    expect(() => statSync(join(dir, "feed.journal"))).toThrow();
  });
});
