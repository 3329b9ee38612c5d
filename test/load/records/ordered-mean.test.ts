import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { orderedMean } from "../../../load/records/derive-sql.ts";

/** The station derivations' daily and yearly means: summed in value order, so every run gives the same last digit. */
describe("the ordered mean of the station derivations", () => {
  it("equals avg(x ORDER BY x) bit for bit, whatever order the rows are stored in", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.tuple(
              fc.integer({ min: 0, max: 5 }),
              fc.oneof(
                fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
                fc.integer({ min: 0, max: 500 }).map((n) => n / 10),
              ),
            ),
            { minLength: 1, maxLength: 200 },
          ),
          async (rows) => {
            await c.run("CREATE OR REPLACE TABLE t (g INTEGER, x DOUBLE)");
            const values = rows.map(([g, x]) => `(${g}, ${x.toPrecision(17)})`).join(", ");
            await c.run(`INSERT INTO t VALUES ${values}`);
            const read = async (sql: string) =>
              (await c.runAndReadAll(`${sql} FROM t GROUP BY g ORDER BY g`)).getRows().map((r) => r.map(Number));
            const ordered = await read("SELECT g, avg(x ORDER BY x)");
            expect(await read(`SELECT g, ${orderedMean("x")}`)).toEqual(ordered);
            await c.run("CREATE OR REPLACE TABLE t AS SELECT * FROM t ORDER BY x DESC");
            expect(await read(`SELECT g, ${orderedMean("x")}`)).toEqual(ordered);
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      c.closeSync();
    }
  });

  it("holds many groups within a small memory limit, where an ordered aggregate ran out", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    try {
      await c.run("SET memory_limit = '64MB'");
      // Spilled to a folder of its own: an in-memory database spills under the working directory otherwise.
      await c.run(`SET temp_directory = '${mkdtempSync(join(tmpdir(), "gongfu-ordered-mean-"))}'`);
      await c.run("SET threads = 2");
      // 20,000 city-days of 24 readings: an ordered aggregate keeps a buffer per group.
      await c.run("CREATE TABLE t AS SELECT i // 24 AS g, (i * 7919 % 1000) / 10.0 AS x FROM range(480000) r(i)");
      const [row] = (
        await c.runAndReadAll(`SELECT count(*), sum(m) FROM (SELECT g, ${orderedMean("x")} AS m FROM t GROUP BY g)`)
      ).getRows();
      expect(Number(row?.[0])).toBe(20000);
    } finally {
      c.closeSync();
    }
  });
});
