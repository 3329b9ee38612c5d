import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHUNK_ROWS, TypedColumns, type TypedKind } from "../../load/typed-chunk.ts";

const cell = (kind: TypedKind) =>
  fc.option(kind === "integer" ? fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) : fc.double({ noNaN: true }), {
    freq: 3,
  });

describe("typed columns as a DuckDB data chunk", () => {
  it("append exactly the values and nulls they hold, at any row count up to a full chunk", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.constantFrom<TypedKind>("integer", "double"), { minLength: 1, maxLength: 4 }),
          fc.oneof(fc.integer({ min: 1, max: 130 }), fc.constantFrom(63, 64, 65, CHUNK_ROWS - 1, CHUNK_ROWS)),
          fc.integer(),
          async (kinds, rows, seed) => {
            const rng = fc.sample(fc.tuple(...kinds.map(cell)), { numRuns: rows, seed });
            await c.run(
              `CREATE OR REPLACE TABLE t (${kinds.map((k, i) => `c${i} ${k === "integer" ? "INTEGER" : "DOUBLE"}`).join(", ")})`,
            );
            const cols = new TypedColumns(kinds);
            // A first chunk fills every null, so the second shows that `clear` starts afresh.
            for (let i = 0; i < rows; i++) kinds.forEach((_, k) => cols.put(k, i, null));
            cols.clear();
            rng.forEach((row, i) => row.forEach((v, k) => cols.put(k, i, v)));
            const a = await c.createAppender("t");
            a.appendDataChunk(cols.toChunk(rows));
            a.flushSync();
            a.closeSync();
            const back = (await c.runAndReadAll("SELECT * FROM t")).getRows();
            expect(back).toEqual(rng);
          },
        ),
        { numRuns: 120 },
      );
    } finally {
      c.closeSync();
    }
  });

  it("refuses more rows than a chunk holds", () => {
    expect(() => new TypedColumns(["integer"]).toChunk(CHUNK_ROWS + 1)).toThrow(RangeError);
  });

  it("writes through the bindings of the exact version @duckdb/node-api was built on", () => {
    // typed-chunk.ts calls @duckdb/node-bindings directly; both must move together (package.json pins both).
    const require = createRequire(import.meta.url);
    const api = JSON.parse(readFileSync(require.resolve("@duckdb/node-api/package.json"), "utf8")) as {
      version: string;
      dependencies: Record<string, string>;
    };
    const ours = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(api.dependencies["@duckdb/node-bindings"]).toBe(ours.dependencies["@duckdb/node-bindings"]);
    expect(ours.dependencies["@duckdb/node-api"]).toBe(api.version);
  });
});
