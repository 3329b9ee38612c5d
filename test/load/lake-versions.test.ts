import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempPathFor } from "../../load/atomic-file.ts";
import {
  currentVersion,
  newestVersionOnly,
  publishLakeVersion,
  pruneLakeVersions,
  SUPERSEDED_GRACE_MS,
  versionsFolder,
  versionsGlob,
} from "../../load/lake-versions.ts";
import { pythonWith } from "../helpers/python-venv.ts";
import { tempDir } from "./fixtures.ts";

let writer: DuckDBConnection;
let closeWriter: () => void;
beforeAll(async () => {
  const instance = await DuckDBInstance.create(":memory:");
  writer = await instance.connect();
  closeWriter = () => {
    writer.closeSync();
    instance.closeSync();
  };
});
afterAll(() => closeWriter());

const sql = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Publishes `n` rows (i, a text that depends on `seed`) as the next version of `file`, as the lake exporter does. */
async function publish(file: string, n: number, seed: number, now?: number): Promise<string> {
  const temp = tempPathFor(file);
  const copied = await writer.run(
    `COPY (SELECT i, md5((i * ${seed})::VARCHAR) AS s FROM range(${n}) t(i)) TO ${sql(temp)} ` +
      "(FORMAT parquet, COMPRESSION zstd)",
  );
  return publishLakeVersion(temp, file, copied.rowsChanged, now);
}

/**
 * A reader's own DuckDB, with the view bi.duckdb would hold over one lake file's versions. One thread: a started
 * query then runs only when its result is read, not in the background meanwhile.
 */
async function reader(lakeDir: string): Promise<DuckDBConnection> {
  const connection = await (await DuckDBInstance.create(":memory:", { threads: "1" })).connect();
  const glob = join(lakeDir, versionsGlob("t.parquet"));
  await connection.run(`CREATE VIEW t AS SELECT * FROM read_parquet(${sql(glob)}) ${newestVersionOnly()}`);
  return connection;
}

const COUNTS = "SELECT count(*)::INTEGER AS n, count(DISTINCT s)::INTEGER AS distinct_s FROM t";

describe("lake file versions", () => {
  it("a query bound before a new version is published reads the old one whole, the next query the new one", async () => {
    const lakeDir = tempDir("lake-versions");
    const file = join(lakeDir, "t.parquet");
    await publish(file, 100_000, 1);
    const r = await reader(lakeDir);
    // DuckDB globs and reads the footer when the query starts, and opens the file again to scan it. With the file
    // renamed over in between, this very sequence failed ("Variable-length int over 10 bytes"): the footer of one
    // version read against the bytes of the other.
    const pending = await r.start(COUNTS);
    await publish(file, 230_000, 7);
    expect((await pending.readAll()).getRowObjectsJson()).toEqual([{ n: 100_000, distinct_s: 100_000 }]);
    expect((await r.runAndReadAll(COUNTS)).getRowObjectsJson()).toEqual([{ n: 230_000, distinct_s: 230_000 }]);
  });

  it("keeps the plain name a link to the newest version, and numbers versions on from those on disk", async () => {
    const lakeDir = tempDir("lake-versions");
    const file = join(lakeDir, "year=2024", "data.parquet");
    const first = await publish(file, 10, 1);
    const second = await publish(file, 20, 2);
    expect(first).toBe(join(lakeDir, "year=2024", "_v", "data", "000000000001.parquet"));
    expect(second).toBe(join(lakeDir, "year=2024", "_v", "data", "000000000002.parquet"));
    expect(statSync(file).ino).toBe(statSync(second).ino);
    expect(currentVersion(file)).toBe(second);
    // Nothing but the two versions and the plain name: the temporary names are gone.
    expect(readdirSync(join(lakeDir, "year=2024")).sort()).toEqual(["_v", "data.parquet"]);
    expect(readdirSync(versionsFolder(file))).toHaveLength(2);
  });

  it("removes a superseded version once the grace since its successor has passed, never the newest", async () => {
    const lakeDir = tempDir("lake-versions");
    const file = join(lakeDir, "t.parquet");
    const v1 = await publish(file, 10, 1);
    const v2 = await publish(file, 10, 2);
    const v3 = await publish(file, 10, 3);
    const published = statSync(v3).ctimeMs;
    expect(pruneLakeVersions(lakeDir, SUPERSEDED_GRACE_MS, published + SUPERSEDED_GRACE_MS / 2)).toBe(0);
    expect([v1, v2, v3].map((v) => existsSync(v))).toEqual([true, true, true]);
    expect(pruneLakeVersions(lakeDir, SUPERSEDED_GRACE_MS, Date.now() + SUPERSEDED_GRACE_MS + 1_000)).toBe(2);
    expect([v1, v2, v3].map((v) => existsSync(v))).toEqual([false, false, true]);
    expect(pruneLakeVersions(lakeDir, 0, Date.now() + 10 * SUPERSEDED_GRACE_MS)).toBe(0);
    expect((await (await reader(lakeDir)).runAndReadAll(COUNTS)).getRowObjectsJson()).toEqual([
      { n: 10, distinct_s: 10 },
    ]);
  });

  it("an empty version supersedes at once: the older rows are not read as current", async () => {
    const lakeDir = tempDir("lake-versions");
    const file = join(lakeDir, "t.parquet");
    const v1 = await publish(file, 50, 1);
    await publish(file, 0, 2);
    expect(existsSync(v1)).toBe(false);
    expect((await (await reader(lakeDir)).runAndReadAll(COUNTS)).getRowObjectsJson()).toEqual([
      { n: 0, distinct_s: 0 },
    ]);
  });

  it("pyarrow and pandas read the plain names only: the versions folder is hidden from their discovery", async () => {
    const lakeDir = tempDir("lake-versions");
    for (const year of [2023, 2024]) {
      const file = join(lakeDir, "facts", `year=${year}`, "data.parquet");
      await publish(file, 10, 1);
      await publish(file, 25, 2);
    }
    const python = pythonWith(["pyarrow", "pandas"]);
    const read = `
import json, sys, pyarrow.parquet as pq, pandas as pd
t = pq.read_table(sys.argv[1])
print(json.dumps({"pyarrow": t.num_rows, "pandas": len(pd.read_parquet(sys.argv[1])),
  "years": sorted(set(str(y) for y in t.column("year").to_pylist()))}))`;
    const out = JSON.parse(execFileSync(python, ["-c", read, join(lakeDir, "facts")], { encoding: "utf8" }));
    expect(out).toEqual({ pyarrow: 50, pandas: 50, years: ["2023", "2024"] });
  });
});
