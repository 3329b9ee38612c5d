import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openWarehouse } from "../../load/index.ts";
import { tempDir } from "./fixtures.ts";

describe("closing the warehouse", () => {
  it("closes the database when its last handle closes, checkpointing it there rather than at the process's exit", async () => {
    const path = `${tempDir("close")}/w.duckdb`;
    const first = await openWarehouse(path);
    const second = await openWarehouse(path);
    await first.connection.run("CREATE TABLE t AS SELECT range AS i FROM range(1000)");
    expect(existsSync(`${path}.wal`)).toBe(true);

    first.close();
    // The second handle keeps the database open: it still reads, and nothing is checkpointed yet.
    expect(Number((await second.connection.runAndReadAll("SELECT count(*) FROM t")).getRows()[0]?.[0])).toBe(1000);
    expect(existsSync(`${path}.wal`)).toBe(true);

    second.close();
    expect(existsSync(`${path}.wal`)).toBe(false);
    const again = await openWarehouse(path);
    try {
      expect(Number((await again.connection.runAndReadAll("SELECT count(*) FROM t")).getRows()[0]?.[0])).toBe(1000);
    } finally {
      again.close();
    }
  });
});
