import { createHmac } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createEmbeddedBus } from "../../../bus/index.ts";
import { produceRecordFile } from "../../../ingest/records/produce-record-file.ts";
import { createPseudonymiser, WORKER_MIN_IDENTIFIERS } from "../../../ingest/records/pseudonymise.ts";
import {
  defaultCatalog,
  fixedTextRows,
  parseRecordFeedSpec,
  recordBatchOf,
  topicNames,
} from "../../../schemas/index.ts";
import { SPEC_YAML, TEST_KEY } from "../../load/records/record-scenario.ts";

const key = Buffer.from(TEST_KEY);
const expected = (id: string) => `p_${createHmac("sha256", key).update(id.trim()).digest("hex").slice(0, 32)}`;

describe("pseudonymising a batch of identifiers", () => {
  it("on the worker thread gives the pseudonyms one at a time gives, in order, nulls kept", async () => {
    const p = createPseudonymiser(key);
    try {
      const ids = Array.from({ length: WORKER_MIN_IDENTIFIERS + 500 }, (_, i) =>
        i % 97 === 0 ? null : i % 5 === 0 ? ` 户主${i} ` : `HH-${i}`,
      );
      // Two batches in flight at once, as ingest hashes one while the next is read.
      const [fa, fb] = await Promise.all([p.many(ids), p.many(ids.slice().reverse())]);
      // One string for the batch, a pseudonym every 34 characters (blanks at a null row).
      expect(fa.text).toHaveLength(34 * ids.length);
      const a = fixedTextRows(fa);
      expect(a).toEqual(ids.map((v) => (v === null ? null : expected(v))));
      expect(fixedTextRows(fb)).toEqual(a.slice().reverse());
    } finally {
      await p.close();
    }
  });

  it("below the worker's threshold, on this thread, alike", async () => {
    const p = createPseudonymiser(key);
    expect(fixedTextRows(await p.many(["a", null, " b"]))).toEqual([expected("a"), null, expected("b")]);
    await p.close();
  });

  it("fails the batch, not silently, when the worker is stopped while it hashes", async () => {
    const p = createPseudonymiser(key);
    const ids = Array.from({ length: WORKER_MIN_IDENTIFIERS * 40 }, (_, i) => `HH-${i}`);
    const hashing = p.many(ids);
    await new Promise((r) => setTimeout(r, 20));
    await p.close();
    await expect(hashing).rejects.toThrow(/worker/);
  });

  it("leaves no identifier in clear in a file's batches of more than a worker's threshold", async () => {
    const spec = parseRecordFeedSpec(SPEC_YAML, "test.yaml");
    const dir = mkdtempSync(join(tmpdir(), "gongfu-pseudonymise-"));
    const path = join(dir, "h.csv");
    const rows = Array.from({ length: 70_000 }, (_, i) => `HH${i},33010219800101${i},330102,2024,3,${50_000 + i}`);
    writeFileSync(path, `household_id,id_card,county_code,survey_year,members,income\n${rows.join("\n")}\n`);
    const bus = createEmbeddedBus();
    const topics = topicNames("t");
    const texts: string[] = [];
    await bus.runSink({
      groupId: "g",
      storedPositions: async () => [],
      topics: [topics.records(spec.id)],
      handle: async (delivered) => {
        for (const d of delivered) {
          const batch = recordBatchOf(d.value, d.headers);
          const ids = batch.columns["household_id"];
          if (ids?.kind === "fixed") texts.push(...(fixedTextRows(ids) as string[]));
        }
      },
    });
    const p = createPseudonymiser(key);
    const stats = await produceRecordFile(
      spec,
      {
        uri: "h.csv",
        checksum: "c".repeat(64),
        vintage: "2024-03-01T00:00:00+08:00",
        open: () => {
          throw new Error("read by DuckDB");
        },
        path,
      },
      { bus, topics, catalog: defaultCatalog(), pseudonymise: p, now: () => new Date("2024-03-02T00:00:00Z") },
    );
    await p.close();
    await bus.close();
    expect(stats).toMatchObject({ records: 70_000, rejected: 0, batches: 2 });
    expect(texts).toHaveLength(70_000);
    expect(texts[0]).toBe(expected("HH0"));
    expect(texts[69_999]).toBe(expected("HH69999"));
    expect(texts.some((t) => /^HH\d/.test(t))).toBe(false);
  });
});
