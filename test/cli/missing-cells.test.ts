import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";

// A cell sent as "—", "…" or empty is neither an observation nor a zero: it is recorded, so that an analyst can tell
// "not reported" from "not received", and status says how many there are.
const data = mkdtempSync(join(tmpdir(), "gongfu-missing-cells-"));
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe("cells sent without a value", () => {
  it("are recorded in missing_cell with their place, once however often they are delivered, and shown by status", async () => {
    expect((await runCli(["run", "--samples", "--data", data])).code).toBe(0);
    // A second run delivers nothing new: the sources were archived; replaying one would be ignored by the key.
    await withWarehouse(join(data, "gongfu.duckdb"), async (query) => {
      const byFeed = await query(
        "SELECT source_feed AS feed, CAST(count(*) AS INTEGER) AS n FROM missing_cell GROUP BY 1 ORDER BY 1",
      );
      expect(byFeed).toEqual([
        { feed: "civil-affairs-housing", n: 36 },
        { feed: "education-annual", n: 67 },
        { feed: "health-api", n: 2 },
        { feed: "hrss-employment", n: 1 },
        { feed: "stats-bureau-annual", n: 6100 },
      ]);
      // Never also an observation.
      const both = await query(
        `SELECT count(*) AS n FROM missing_cell m
         JOIN fact_observation f USING (indicator_code, region_code, period, source_uri, source_position)`,
      );
      expect(Number(both[0]?.["n"])).toBe(0);
      const one = await query(
        `SELECT indicator_code, region_code, period, source_sheet, source_row, source_column FROM missing_cell
         WHERE source_feed = 'civil-affairs-housing' ORDER BY source_sheet, source_row, source_column LIMIT 1`,
      );
      expect(one[0]).toMatchObject({ source_sheet: "2020年" });
      expect(String(one[0]?.["source_column"])).not.toBe("");
      const distinct = await query("SELECT count(*) = count(DISTINCT cell_key) AS ok FROM missing_cell");
      expect(distinct[0]?.["ok"]).toBe(true);
    });
    const status = await runCli(["status", "--data", data]);
    expect(status.stdout).toContain("stats-bureau-annual: 613 rows × 19 indicator columns = 11,647 cells");
    expect(status.stdout).toContain("6,100 cells sent without a value (table missing_cell)");
  });
});
