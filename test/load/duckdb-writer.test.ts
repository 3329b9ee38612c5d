import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DuckDBConnection } from "@duckdb/node-api";
import { storedPositions, writeBatch } from "../../load/index.ts";
import { delivered, observation, rows, scratchWarehouse } from "./fixtures.ts";
import type { DeadLetter } from "../../schemas/index.ts";

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

  it("keeps the first delivery when one batch holds the same record twice", async () => {
    const o = observation();
    const written = await writeBatch(db.connection, "g", [delivered(o, 3), delivered({ ...o, value: 1 }, 4)], [], [position(5)]);
    expect(written.observations).toBe(1);
    expect(await rows(db.connection, "SELECT value, kafka_offset FROM fact_observation")).toEqual([{ value: 75810, kafka_offset: "3" }]);
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
    const letter: DeadLetter = { stage: "transform", feed: "stats-bureau-income", source: { feed: "stats-bureau-income", uri: "income.csv", position: { line: 63 } }, payload: { x: 1 }, reasons: [{ code: "unknown_region", message: "no such region" }], at: "2024-02-01T00:00:00.000Z" };
    await writeBatch(db.connection, "g", [delivered(observation(), 0), delivered(observation({ period: "2024Q3" }), 1)], [{ letter }], []);
    expect(await rows(db.connection, "SELECT table_name, part FROM _lake_dirty ORDER BY ALL")).toEqual([
      { table_name: "fact_observation", part: "year=2023" },
      { table_name: "fact_observation", part: "year=2024" },
      { table_name: "quarantine", part: "" },
    ]);
    await db.connection.run("DELETE FROM _lake_dirty");
    const again = await writeBatch(db.connection, "g", [delivered(observation(), 9)], [{ letter }], []);
    expect(again).toEqual({ observations: 0, deadLetters: 0 });
    expect(await rows(db.connection, "SELECT count(*)::INTEGER AS n FROM _lake_dirty")).toEqual([{ n: 0 }]);
  });
});
