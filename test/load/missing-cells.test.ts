import { describe, expect, it } from "vitest";
import { writeBatch } from "../../load/duckdb-writer.ts";
import { ObservationList } from "../../load/observation-list.ts";
import { ObservationBatchBuilder, RawBatchBuilder } from "../../schemas/index.ts";
import { delivered, observation, rows, scratchWarehouse } from "./fixtures.ts";

function batch() {
  const raw = new RawBatchBuilder({ feed: "f", uri: "a.csv", checksum: "ab".repeat(32), receivedAt: "t", seq: 0 });
  raw.add({ line: 2 }, {}, "v");
  raw.add({ line: 3 }, {}, "v");
  const b = new ObservationBatchBuilder({
    feed: "f",
    uri: "a.csv",
    checksum: "ab".repeat(32),
    seq: 0,
    ingestedAt: "2026-01-05T08:00:00.000Z",
  });
  const vintage = "2025-01-20T00:00:00.000Z";
  b.add("urbanization_rate", "330100", "2024", "%", 74.2, vintage, raw.build().position, 0);
  b.add("urbanization_rate", "330200", "2024", "%", Number.NaN, vintage, raw.build().position, 1);
  return b.build();
}

describe("the loader and cells sent without a value", () => {
  it("puts them in missing_cell, not in fact_observation, and a re-delivery adds nothing", async () => {
    const db = await scratchWarehouse();
    try {
      const b = batch();
      expect(b.missing).toBe(1);
      const first = await writeBatch(db.connection, "g", ObservationList.of([{ batch: b }]), [], []);
      expect(first).toMatchObject({ observations: 1, missingCells: 1 });
      const again = await writeBatch(db.connection, "g", ObservationList.of([{ batch: b }]), [], []);
      expect(again).toMatchObject({ observations: 0 });
      expect(again.missingCells).toBeUndefined();
      expect(await rows(db.connection, "SELECT region_code, value FROM fact_observation")).toEqual([
        { region_code: "330100", value: 74.2 },
      ]);
      expect(
        await rows(db.connection, "SELECT region_code, indicator_code, source_position, unit FROM missing_cell"),
      ).toEqual([{ region_code: "330200", indicator_code: "urbanization_rate", source_position: "line 3", unit: "%" }]);
    } finally {
      db.close();
    }
  });

  it("counts them apart from a feed's observations, whether they came as a batch or as delivered rows", () => {
    const fromBatch = new Map<string, number>();
    expect(ObservationList.of([{ batch: batch() }]).countByFeed(fromBatch)).toBe(1);
    expect(fromBatch).toEqual(new Map([["f", 1]]));

    const fromRows = new Map<string, number>();
    const sent = [observation(), observation({ region: "330200", value: Number.NaN })];
    expect(ObservationList.of(sent.map((o, i) => delivered(o, i))).countByFeed(fromRows)).toBe(1);
    expect(fromRows).toEqual(new Map([["stats-bureau-income", 1]]));
  });
});
