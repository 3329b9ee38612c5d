import { availableParallelism } from "node:os";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createEmbeddedBus } from "../../bus/index.ts";
import { sharedThreads, threadCounts, threadLeases } from "../../load/duckdb-threads.ts";
import { openWarehouse, startLoad } from "../../load/index.ts";
import { silentLogger } from "../../runtime/logger.ts";
import { defaultCatalog, topicNames } from "../../schemas/index.ts";
import { tempDir } from "./fixtures.ts";

const threads = async (c: DuckDBConnection): Promise<number> =>
  Number((await c.runAndReadAll("SELECT current_setting('threads')")).getRows()[0]?.[0]);

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("DuckDB's thread count", () => {
  it("leaves a core to the stages upstream for single pipelines, and GONGFU_DUCKDB_THREADS fixes it", () => {
    vi.stubEnv("GONGFU_DUCKDB_THREADS", "");
    expect(threadCounts(8)).toEqual({ narrow: Math.max(1, Math.min(8, availableParallelism() - 1)), wide: 8 });
    expect(threadCounts(1)).toEqual({ narrow: 1, wide: 1 });
    vi.stubEnv("GONGFU_DUCKDB_THREADS", "3");
    expect(threadCounts(8)).toEqual({ narrow: 3, wide: 3 });
    vi.stubEnv("GONGFU_DUCKDB_THREADS", "none");
    expect(threadCounts(8).wide).toBe(8);
  });

  it("is narrow while a narrow lease is held, wide while any wide lease is, and back when all are released", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const probe = await instance.connect();
    const shared = sharedThreads({ narrow: 1, wide: 3 }, await threads(probe));
    const a = threadLeases(shared, () => instance.connect());
    const b = threadLeases(shared, () => instance.connect());
    try {
      const narrow = await a.narrow();
      expect(await threads(probe)).toBe(1);
      const wide = await b.wide();
      expect(await threads(probe)).toBe(3);
      const secondNarrow = await b.narrow();
      expect(await threads(probe)).toBe(3);
      await wide();
      expect(await threads(probe)).toBe(1);
      await narrow();
      await narrow(); // a second release of the same lease changes nothing
      expect(await threads(probe)).toBe(1);
      await secondNarrow();
      expect(await threads(probe)).toBe(3);
    } finally {
      probe.closeSync();
      instance.closeSync();
    }
  });

  it("is narrowed by the observation loader while it runs, on every handle of the file, and restored at stop", async () => {
    vi.stubEnv("GONGFU_DUCKDB_THREADS", "");
    const warehousePath = `${tempDir("threads")}/w.duckdb`;
    const other = await openWarehouse(warehousePath);
    try {
      const before = await threads(other.connection);
      const load = await startLoad({
        bus: createEmbeddedBus(),
        topics: topicNames("threads"),
        catalog: defaultCatalog(),
        warehousePath,
        logger: silentLogger(),
        settings: { lake: false },
      });
      expect(await threads(other.connection)).toBe(threadCounts(before).narrow);
      // A record delivery or derivation on another handle of the same file takes every thread while it runs.
      const release = await other.threads.wide();
      expect(await threads(other.connection)).toBe(before);
      await release();
      expect(await threads(other.connection)).toBe(threadCounts(before).narrow);
      await load.runner.stop();
      expect(await threads(other.connection)).toBe(before);
      load.warehouse.close();
    } finally {
      other.close();
    }
  });
});
