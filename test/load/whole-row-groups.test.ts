import { describe, expect, it } from "vitest";
import { createMergeBuffer } from "../../load/index.ts";
import { ObservationList } from "../../load/observation-list.ts";
import { LOAD_DEFAULTS } from "../../runtime/config.ts";
import { ObservationBatchBuilder } from "../../schemas/index.ts";
import { rows, scratchWarehouse, tempDir } from "./fixtures.ts";

/** `n` observations of one batch at lines from `from`, in the shape transform hands them on. */
function batch(seq: number, from: number, n: number) {
  const b = new ObservationBatchBuilder({
    feed: "stats",
    uri: "big.csv",
    checksum: "0".repeat(64),
    seq,
    ingestedAt: "2026-01-01T00:00:00.000Z",
  });
  const absent = { values: [], codes: new Int32Array(n).fill(-1) };
  const position = {
    line: Int32Array.from({ length: n }, (_, i) => from + i),
    row: new Int32Array(n),
    offset: new Float64Array(n).fill(-1),
    sheet: absent,
    column: absent,
  };
  for (let i = 0; i < n; i++)
    b.add(
      "gdp",
      String(330100 + (i % 11) * 100),
      `${2019 + (i % 7)}`,
      "亿元",
      i,
      "2026-01-01T00:00:00.000Z",
      position,
      i,
    );
  return b.build();
}

describe("merges of load.mergeRows observations", () => {
  it("leave whole DuckDB row groups, which a checkpoint has no reason to rewrite", async () => {
    const db = await scratchWarehouse(`${tempDir("row-groups")}/w.duckdb`);
    try {
      const n = LOAD_DEFAULTS.mergeRows;
      for (let k = 0; k < 2; k++) {
        const buffer = await createMergeBuffer(db.connection);
        await buffer.append(ObservationList.of([{ batch: batch(k, 2 + k * n, n) }]), [], []);
        await buffer.merge("g");
      }
      // A parallel insert of two row groups left one of 4,096 rows per merge: the next checkpoint rewrote them.
      const groups = await rows(
        db.connection,
        "SELECT row_group_id, sum(count) AS n FROM pragma_storage_info('fact_observation') " +
          "WHERE column_id = 0 AND column_path = '[0]' GROUP BY row_group_id ORDER BY row_group_id",
      );
      expect(groups.map((g) => Number(g["n"]))).toEqual([122_880, 122_880]);
    } finally {
      db.close();
    }
  }, 60_000);
});
