import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DuckDBConnection } from "@duckdb/node-api";
import fc from "fast-check";
import { createMergeBuffer, storedPositions, writeBatch } from "../../load/index.ts";
import { delivered, observation, rows, scratchWarehouse } from "./fixtures.ts";
import { formatPosition, type DeadLetter, type SourcePosition } from "../../schemas/index.ts";

let db: { connection: DuckDBConnection; close(): void };
beforeEach(async () => {
  db = await scratchWarehouse();
});
afterEach(() => db.close());

const position = (offset: number) => ({ topic: "t.observations", partition: 0, offset: String(offset) });

describe("writeBatch", () => {
  it("keeps one row for a record delivered again in a later batch, and says it was a duplicate", async () => {
    const o = observation();
    const first = await writeBatch(db.connection, "g", [delivered(o, 0)], [], [position(1)]);
    const again = await writeBatch(db.connection, "g", [delivered(o, 7)], [], [position(8)]);
    expect(first.observations).toBe(1);
    expect(again.observations).toBe(0);
    expect(await rows(db.connection, "SELECT kafka_offset FROM fact_observation")).toEqual([{ kafka_offset: "0" }]);
  });

  it("refuses a re-delivery whatever its position holds: a line, a workbook row, an offset, or nothing", async () => {
    const positions = [{ line: 7 }, { sheet: "表1", row: 3, column: "2024" }, { offset: 12 }, {}, { sheet: "S" }];
    const batch = positions.map((position, i) =>
      delivered(observation({ source: { feed: "f", uri: "u", position } }), i),
    );
    expect((await writeBatch(db.connection, "g", batch, [], [])).observations).toBe(positions.length);
    const again = await writeBatch(
      db.connection,
      "g",
      batch.map((row, i) => ({ ...row, offset: String(100 + i) })),
      [],
      [],
    );
    expect(again).toEqual({
      observations: 0,
      deadLetters: 0,
      buffered: positions.length,
      bufferedByFeed: new Map([["f", positions.length]]),
    });
    expect(await rows(db.connection, "SELECT count(*)::INTEGER AS n FROM fact_observation")).toEqual([
      { n: positions.length },
    ]);
  });

  it("keeps the first delivery when one batch holds the same record twice", async () => {
    const o = observation();
    const written = await writeBatch(
      db.connection,
      "g",
      [delivered(o, 3), delivered({ ...o, value: 1 }, 4)],
      [],
      [position(5)],
    );
    expect(written.observations).toBe(1);
    expect(await rows(db.connection, "SELECT value, kafka_offset FROM fact_observation")).toEqual([
      { value: 75810, kafka_offset: "3" },
    ]);
  });

  it("keeps both vintages of one cell, and the same vintage from two source positions", async () => {
    const o = observation();
    const batch = [
      delivered(o, 0),
      delivered({ ...o, vintage: "2024-06-30T00:00:00.000Z", value: 76000 }, 1),
      delivered({ ...o, source: { ...o.source, position: { line: 41 } } }, 2),
    ];
    expect((await writeBatch(db.connection, "g", batch, [], [position(3)])).observations).toBe(3);
    const latest = await rows(db.connection, "SELECT value FROM obs_latest");
    expect(latest).toEqual([{ value: 76000 }]);
  });

  it("stores the consumer positions with the rows, and replaces them as the consumer moves on", async () => {
    await writeBatch(db.connection, "g", [delivered(observation(), 0)], [], [position(1)]);
    await writeBatch(db.connection, "g", [delivered(observation({ period: "2022" }), 1)], [], [position(2)]);
    expect(await storedPositions(db.connection, "g")).toEqual([position(2)]);
    expect(await storedPositions(db.connection, "other")).toEqual([]);
  });

  it("commits nothing when the transaction fails after the rows were merged", async () => {
    const bad = { topic: "t.observations", partition: 0, offset: "not a number" };
    await expect(writeBatch(db.connection, "g", [delivered(observation(), 0)], [], [bad])).rejects.toThrow();
    expect(await rows(db.connection, "SELECT count(*)::INTEGER AS n FROM fact_observation")).toEqual([{ n: 0 }]);
    expect(await rows(db.connection, "SELECT count(*)::INTEGER AS n FROM _lake_dirty")).toEqual([{ n: 0 }]);
    expect(await storedPositions(db.connection, "g")).toEqual([]);
  });

  it("marks the years and the quarantine it changed for the Parquet lake, and nothing for duplicates", async () => {
    const letter: DeadLetter = {
      stage: "transform",
      feed: "stats-bureau-income",
      source: { feed: "stats-bureau-income", uri: "income.csv", position: { line: 63 } },
      payload: { x: 1 },
      reasons: [{ code: "unknown_region", message: "no such region" }],
      at: "2024-02-01T00:00:00.000Z",
    };
    await writeBatch(
      db.connection,
      "g",
      [delivered(observation(), 0), delivered(observation({ period: "2024Q3" }), 1)],
      [{ letter }],
      [],
    );
    expect(await rows(db.connection, "SELECT table_name, part FROM _lake_dirty ORDER BY ALL")).toEqual([
      { table_name: "fact_observation", part: "year=2023" },
      { table_name: "fact_observation", part: "year=2024" },
      { table_name: "quarantine", part: "" },
    ]);
    await db.connection.run("DELETE FROM _lake_dirty");
    const again = await writeBatch(db.connection, "g", [delivered(observation(), 9)], [{ letter }], []);
    expect(again).toEqual({
      observations: 0,
      deadLetters: 0,
      buffered: 2,
      bufferedByFeed: new Map([[observation().source.feed, 1]]),
    });
    expect(await rows(db.connection, "SELECT count(*)::INTEGER AS n FROM _lake_dirty")).toEqual([{ n: 0 }]);
  });
});

describe("the merge buffer: batches gathered, then one merge", () => {
  it("merges several appended batches at once, keeps the first delivery across them, and stores the newest positions", async () => {
    const buffer = await createMergeBuffer(db.connection);
    const o = observation();
    await buffer.append([delivered(o, 0), delivered(observation({ period: "2022" }), 1)], [], [position(2)]);
    await buffer.append(
      [delivered({ ...o, value: 1 }, 2), delivered(observation({ region: "330200" }), 3)],
      [],
      [position(4)],
    );
    expect(buffer.rows).toBe(4);
    expect(await rows(db.connection, "SELECT count(*)::INTEGER AS n FROM fact_observation")).toEqual([{ n: 0 }]);
    expect(await buffer.merge("g")).toEqual({
      observations: 3,
      deadLetters: 0,
      buffered: 4,
      bufferedByFeed: new Map([[o.source.feed, 4]]),
    });
    expect(buffer.rows).toBe(0);
    expect(
      await rows(
        db.connection,
        "SELECT value, kafka_offset FROM fact_observation WHERE region_code = '330100' AND period = '2023'",
      ),
    ).toEqual([{ value: 75810, kafka_offset: "0" }]);
    expect(await storedPositions(db.connection, "g")).toEqual([position(4)]);
  });

  it("keeps the rows buffered when a merge fails, and commits them with a later merge", async () => {
    const buffer = await createMergeBuffer(db.connection);
    await buffer.append([delivered(observation(), 0)], [], [position(1)]);
    // Without the table of lake marks the merge's transaction fails after its rows were inserted.
    await db.connection.run("ALTER TABLE _lake_dirty RENAME TO _lake_dirty_away");
    await expect(buffer.merge("g")).rejects.toThrow();
    expect(buffer.rows).toBe(1);
    expect(await rows(db.connection, "SELECT count(*)::INTEGER AS n FROM fact_observation")).toEqual([{ n: 0 }]);
    expect(await storedPositions(db.connection, "g")).toEqual([]);
    await db.connection.run("ALTER TABLE _lake_dirty_away RENAME TO _lake_dirty");
    await buffer.append([delivered(observation({ period: "2022" }), 1)], [], [position(2)]);
    expect(await buffer.merge("g")).toMatchObject({ observations: 2 });
    expect(await storedPositions(db.connection, "g")).toEqual([position(2)]);
  });

  it("writes every source position exactly as formatPosition does, with its parts in their own columns", async () => {
    const text = fc.oneof(
      fc.constantFrom("", "Sheet1", "表1 收入", "a|b", "line 3", "'quoted'", "x\ny"),
      fc.string({ maxLength: 8 }),
    );
    const part = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const positions = fc.record({
      sheet: part(text),
      row: part(fc.nat(2_000_000)),
      line: part(fc.nat(2_000_000_000)),
      offset: part(fc.nat(Number.MAX_SAFE_INTEGER)),
      column: part(text),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(positions, { minLength: 1, maxLength: 30 }), async (list) => {
        await db.connection.run("DELETE FROM fact_observation");
        const batch = list.map((p, i) => {
          const position = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as SourcePosition;
          return delivered(
            observation({ period: String(2000 + (i % 30)), source: { feed: "f", uri: `u${i}`, position } }),
            i,
          );
        });
        await writeBatch(db.connection, "g", batch, [], []);
        const got = await rows(
          db.connection,
          "SELECT source_uri, source_position, source_line, source_sheet, source_row, source_column " +
            "FROM fact_observation ORDER BY kafka_offset",
        );
        expect(got).toEqual(
          batch.map(({ observation: o }) => {
            const p = o.source.position;
            return {
              source_uri: o.source.uri,
              source_position: formatPosition(p),
              source_line: p.line ?? null,
              source_sheet: p.sheet ?? null,
              source_row: p.row ?? null,
              source_column: p.column ?? null,
            };
          }),
        );
      }),
      { seed: 20261129, numRuns: 40 },
    );
  });
});
