import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { lakePaths, syncCatalog, writeBatch } from "../../load/index.ts";
import { startLakePublisher } from "../../load/lake-publisher.ts";
import { keyAsText, lakeMarkKey } from "../../load/lake-layout.ts";
import { exportMarkedParts } from "../../load/parquet-export.ts";
import { createSerial } from "../../load/serial.ts";
import { defaultCatalog } from "../../schemas/index.ts";
import { silentLogger } from "../../runtime/logger.ts";
import { delivered, observation, rows, scratchWarehouse, tempDir } from "./fixtures.ts";

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function setup() {
  const dataDir = tempDir("lake");
  const db = await scratchWarehouse(join(dataDir, "gongfu.duckdb"));
  cleanups.push(db.close);
  await syncCatalog(db.connection, defaultCatalog());
  const { lakeDir, biPath } = lakePaths(dataDir);
  const start = () =>
    startLakePublisher({
      connection: db.connection,
      lakeDir,
      biPath,
      lakeRef: lakeDir,
      intervalMs: 0,
      serial: createSerial(),
      logger: silentLogger(),
    });
  return { db, dataDir, lakeDir, biPath, start };
}

/** Queries bi.duckdb the way a BI tool does: read-only, from a fresh instance. */
async function queryBi(biPath: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(biPath, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  try {
    return await rows(connection, sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const allFiles = (dir: string) => readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();

describe("the Parquet lake and bi.duckdb", () => {
  it(
    "exports each year of the facts and each small table to zstd Parquet, and bi.duckdb reads " +
      "them under the warehouse's names",
    async () => {
      const { db, lakeDir, biPath, start } = await setup();
      await writeBatch(
        db.connection,
        "g",
        [
          delivered(observation({ period: "2022", value: 70000 }), 0),
          delivered(observation(), 1),
          delivered(observation({ vintage: "2024-06-30T00:00:00.000Z", value: 76000 }), 2),
        ],
        [],
        [],
      );
      const lake = await start();
      await lake.stop();

      // Each file once under its plain name and once as its first version (lake-versions.ts), the same inode.
      const versions = (folder: string, base: string) => [
        `${folder}_v`,
        `${folder}_v/${base}`,
        `${folder}_v/${base}/000000000001.parquet`,
      ];
      const smallTables = ["dim_dimension", "dim_indicator", "dim_period", "dim_region", "quarantine"];
      const years = [0, 2022, 2023];
      expect(allFiles(lakeDir)).toEqual(
        [
          ...smallTables.flatMap((t) => [`${t}.parquet`, ...versions("", t).slice(1)]),
          "_v",
          "fact_observation",
          ...years.flatMap((y) => [
            `fact_observation/year=${y}`,
            `fact_observation/year=${y}/data.parquet`,
            ...versions(`fact_observation/year=${y}/`, "data"),
          ]),
        ].sort(),
      );
      for (const t of smallTables)
        expect(statSync(join(lakeDir, `${t}.parquet`)).ino).toBe(
          statSync(join(lakeDir, "_v", t, "000000000001.parquet")).ino,
        );
      expect(
        await rows(
          db.connection,
          `SELECT DISTINCT compression FROM parquet_metadata('${lakeDir}/fact_observation/*/data.parquet')`,
        ),
      ).toEqual([{ compression: "ZSTD" }]);

      expect(
        await queryBi(biPath, "SELECT year, count(*)::INTEGER AS n FROM fact_observation GROUP BY year ORDER BY year"),
      ).toEqual([
        { year: 2022, n: 1 },
        { year: 2023, n: 2 },
      ]);
      expect(await queryBi(biPath, "SELECT period, value FROM obs_latest ORDER BY period")).toEqual([
        { period: "2022", value: 70000 },
        { period: "2023", value: 76000 },
      ]);
      expect(
        await queryBi(biPath, "SELECT value FROM obs_as_of('2024-03-01T00:00:00Z') WHERE period = '2023'"),
      ).toEqual([{ value: 75810 }]);
      expect(
        await queryBi(
          biPath,
          "SELECT period, disposable_income_per_capita AS v FROM obs_wide WHERE region_code = '330100' ORDER BY period",
        ),
      ).toEqual([
        { period: "2022", v: 70000 },
        { period: "2023", v: 76000 },
      ]);
      expect(await queryBi(biPath, "SELECT name_zh FROM dim_region WHERE code = '330100'")).toEqual([
        { name_zh: "杭州市" },
      ]);
      // The 128-bit key survives as text, equal to the warehouse's.
      const keys = await rows(db.connection, `SELECT ${keyAsText("obs_key")} AS k FROM fact_observation ORDER BY k`);
      expect(await queryBi(biPath, "SELECT obs_key AS k FROM fact_observation ORDER BY k")).toEqual(keys);
      // Comments come along, in both languages.
      const comments = await queryBi(
        biPath,
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'fact_observation' AND " +
          "column_name IN ('vintage', 'year') ORDER BY column_name",
      );
      expect(comments.map((c) => c["comment"])).toEqual([
        expect.stringMatching(/发布时间.*\/ When the source published/),
        expect.stringMatching(/分区年份.*Partition year/),
      ]);
      expect(
        await queryBi(
          biPath,
          "SELECT count(*)::INTEGER AS n FROM duckdb_views() WHERE NOT internal AND comment IS NULL",
        ),
      ).toEqual([{ n: 0 }]);
    },
  );

  it("rewrites only the partitions a batch changed, each as a new version", async () => {
    const { db, lakeDir, start } = await setup();
    await writeBatch(
      db.connection,
      "g",
      [delivered(observation({ period: "2022" }), 0), delivered(observation(), 1)],
      [],
      [],
    );
    const lake = await start();
    const file2022 = join(lakeDir, "fact_observation/year=2022/data.parquet");
    const file2023 = join(lakeDir, "fact_observation/year=2023/data.parquet");
    const region = join(lakeDir, "dim_region.parquet");
    const before = { y2022: statSync(file2022).ino, y2023: statSync(file2023).ino, region: statSync(region).ino };

    await writeBatch(db.connection, "g", [delivered(observation({ period: "2023-05", value: 6000 }), 2)], [], []);
    await lake.afterBatch();
    expect(statSync(file2022).ino).toBe(before.y2022);
    expect(statSync(region).ino).toBe(before.region);
    expect(statSync(file2023).ino).not.toBe(before.y2023);
    expect(await rows(db.connection, `SELECT count(*)::INTEGER AS n FROM '${file2023}'`)).toEqual([{ n: 2 }]);
    expect(allFiles(lakeDir).filter((f) => f.includes("tmp"))).toEqual([]);
    // 2023 now has two versions; bi.duckdb's views keep the newest by DuckDB's virtual `filename` column, which a
    // table's own column of that name would hide.
    expect(readdirSync(join(lakeDir, "fact_observation/year=2023/_v/data"))).toHaveLength(2);
    expect(
      await rows(
        db.connection,
        "SELECT table_name FROM duckdb_columns() WHERE column_name = 'filename' AND NOT internal",
      ),
    ).toEqual([]);
    await lake.stop();
  });

  it("gives an empty warehouse a queryable bi.duckdb that later loads never replace", async () => {
    const { db, biPath, start } = await setup();
    const lake = await start();
    expect(
      await queryBi(biPath, "SELECT count(*)::INTEGER AS n, count(year)::INTEGER AS y FROM fact_observation"),
    ).toEqual([{ n: 0, y: 0 }]);
    expect(await queryBi(biPath, "SELECT count(*)::INTEGER AS n FROM obs_wide")).toEqual([{ n: 0 }]);
    const inode = statSync(biPath).ino;
    await writeBatch(db.connection, "g", [delivered(observation(), 0)], [], []);
    await lake.afterBatch();
    expect(await queryBi(biPath, "SELECT year, value FROM fact_observation")).toEqual([{ year: 2023, value: 75810 }]);
    expect(statSync(biPath).ino).toBe(inode);
    await lake.stop();
  });

  it("shows new data to a BI connection held open from before the first load, across later loads and restarts", async () => {
    const { db, biPath, start } = await setup();
    let lake = await start();
    // Opened on the empty lake and never reconnected, as Superset's and Metabase's pools keep it.
    const instance = await DuckDBInstance.create(biPath, { access_mode: "READ_ONLY" });
    const held = await instance.connect();
    cleanups.push(() => {
      held.closeSync();
      instance.closeSync();
    });
    const seen = async () =>
      rows(held, "SELECT count(*)::INTEGER AS n, count(DISTINCT year)::INTEGER AS years FROM fact_observation");
    const latest = async () => rows(held, "SELECT count(*)::INTEGER AS n FROM obs_latest");
    expect(await seen()).toEqual([{ n: 0, years: 0 }]);

    await writeBatch(db.connection, "g", [delivered(observation(), 0)], [], []);
    await lake.afterBatch();
    expect(await seen()).toEqual([{ n: 1, years: 1 }]);

    await writeBatch(
      db.connection,
      "g",
      [delivered(observation({ period: "2022" }), 1), delivered(observation({ region: "330200" }), 2)],
      [],
      [],
    );
    await lake.afterBatch();
    expect(await seen()).toEqual([{ n: 3, years: 2 }]);
    expect(await latest()).toEqual([{ n: 3 }]);

    // A loader restart rewrites bi.duckdb; the held connection still reads the old file, whose views name the same lake.
    await lake.stop();
    lake = await start();
    await writeBatch(db.connection, "g", [delivered(observation({ period: "2021" }), 3)], [], []);
    await lake.afterBatch();
    expect(await seen()).toEqual([{ n: 4, years: 3 }]);
    expect(await rows(held, "SELECT count(*)::INTEGER AS n FROM dim_region")).toEqual(
      await rows(db.connection, "SELECT count(*)::INTEGER AS n FROM dim_region"),
    );
    await lake.stop();
  });

  it("catches up at start with what a crash left: marked partitions, missing files and stale temporary files", async () => {
    const { db, lakeDir, biPath, start } = await setup();
    await writeBatch(db.connection, "g", [delivered(observation({ period: "2022" }), 0)], [], []);
    await (await start()).stop();
    // A crash after a batch committed (its mark is still there), with a half-written file left behind, and a lost file.
    await writeBatch(db.connection, "g", [delivered(observation({ period: "2022", region: "330200" }), 1)], [], []);
    const stale = join(lakeDir, "fact_observation/year=2022/.data.parquet.999-1.gongfu-tmp");
    writeFileSync(stale, "half a file");
    rmSync(join(lakeDir, "dim_period.parquet"));
    rmSync(biPath);

    const lake = await start();
    expect(existsSync(stale)).toBe(false);
    expect(await queryBi(biPath, "SELECT count(*)::INTEGER AS n FROM fact_observation")).toEqual([{ n: 2 }]);
    expect(await queryBi(biPath, "SELECT count(*)::INTEGER AS n FROM dim_period")).toEqual([{ n: 21 * 17 }]);
    expect(await rows(db.connection, "SELECT count(*)::INTEGER AS n FROM _lake_dirty")).toEqual([{ n: 0 }]);
    await lake.stop();
  });

  it("writes the versions of a lake written before them at start, so the views find every partition", async () => {
    const { db, lakeDir, biPath, start } = await setup();
    await writeBatch(
      db.connection,
      "g",
      [delivered(observation({ period: "2022" }), 0), delivered(observation(), 1)],
      [],
      [],
    );
    await (await start()).stop();
    // The layout of earlier releases: the plain files only.
    for (const folder of readdirSync(lakeDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith("_v")))
      rmSync(join(lakeDir, folder), { recursive: true, force: true });
    expect(allFiles(lakeDir).filter((f) => f.includes("_v"))).toEqual([]);

    const lake = await start();
    expect(await queryBi(biPath, "SELECT count(*)::INTEGER AS n FROM fact_observation")).toEqual([{ n: 2 }]);
    expect(await queryBi(biPath, "SELECT count(*)::INTEGER AS n FROM dim_period")).toEqual([{ n: 21 * 17 }]);
    for (const part of ["fact_observation/year=2022", "fact_observation/year=2023", "_v/dim_region"])
      expect(existsSync(join(lakeDir, part.startsWith("_v") ? part : `${part}/_v/data`)), part).toBe(true);
    await lake.stop();
  });
});

describe("a one-shot run's early export", () => {
  it("writes the small tables and bi.duckdb while the run loads, and keeps a mark that a merge set meanwhile", async () => {
    const { db, lakeDir, biPath } = await setup();
    const letter = (line: number) => ({
      letter: {
        stage: "transform" as const,
        feed: "stats-bureau-income",
        source: { feed: "stats-bureau-income", uri: "income.csv", position: { line } },
        payload: {},
        reasons: [{ code: "unknown_region", message: "no such region" }],
        at: "2024-02-01T00:00:00.000Z",
      },
    });
    await writeBatch(db.connection, "g", [delivered(observation(), 0)], [letter(63)], []);
    const serial = createSerial();
    const background = await db.connect();
    const lake = await startLakePublisher({
      connection: db.connection,
      lakeDir,
      biPath,
      lakeRef: lakeDir,
      intervalMs: "on-stop",
      backgroundConnection: background,
      serial,
      logger: silentLogger(),
    });
    // A merge right after the start, while the early export still reads its snapshot: it adds a dead letter and
    // marks the quarantine, which the early export wrote without it, so that mark must survive until stop.
    await serial.run(async () => {
      await writeBatch(db.connection, "g", [], [letter(64)], []);
      await lake.afterBatch([lakeMarkKey("quarantine", "")]);
    });
    await vi.waitFor(() => expect(existsSync(biPath)).toBe(true), { timeout: 10_000, interval: 20 });
    expect(existsSync(join(lakeDir, "dim_region.parquet"))).toBe(true);
    await vi.waitFor(
      async () =>
        expect(await rows(db.connection, "SELECT table_name FROM _lake_dirty ORDER BY ALL")).toEqual([
          { table_name: "fact_observation" },
          { table_name: "quarantine" },
        ]),
      { timeout: 10_000, interval: 20 },
    );
    await lake.stop();
    expect(await queryBi(biPath, "SELECT count(*)::INTEGER AS n FROM quarantine")).toEqual([{ n: 2 }]);
    expect(await queryBi(biPath, "SELECT count(*)::INTEGER AS n FROM fact_observation")).toEqual([{ n: 1 }]);
    expect(await rows(db.connection, "SELECT count(*)::INTEGER AS n FROM _lake_dirty")).toEqual([{ n: 0 }]);
  });
});

describe("the export at a one-shot run's stop", () => {
  const oneShot = async (db: Awaited<ReturnType<typeof setup>>["db"], lakeDir: string, biPath: string) =>
    startLakePublisher({
      connection: db.connection,
      lakeDir,
      biPath,
      lakeRef: lakeDir,
      intervalMs: "on-stop",
      backgroundConnection: await db.connect(),
      serial: createSerial(),
      logger: silentLogger(),
    });
  const years = [2019, 2020, 2021, 2022, 2023];
  const load = (db: Awaited<ReturnType<typeof setup>>["db"]) =>
    writeBatch(
      db.connection,
      "g",
      years.map((y, i) =>
        delivered(
          observation({ period: String(y), source: { feed: "f", uri: "u.csv", position: { line: i + 2 } } }),
          i,
        ),
      ),
      [],
      [],
    );

  it("writes the partitions on two connections, each once", async () => {
    const { db, lakeDir, biPath } = await setup();
    await load(db);
    await (await oneShot(db, lakeDir, biPath)).stop();
    expect(
      await queryBi(biPath, "SELECT year, count(*)::INTEGER AS n FROM fact_observation GROUP BY year ORDER BY year"),
    ).toEqual(years.map((year) => ({ year, n: 1 })));
    expect(await rows(db.connection, "SELECT count(*)::INTEGER AS n FROM _lake_dirty")).toEqual([{ n: 0 }]);
  });

  it("writes the partitions one at a time when two exports at once run out of memory", async () => {
    const { db, lakeDir, biPath } = await setup();
    await load(db);
    const other = await db.connect();
    // A second connection whose exports fail as DuckDB's do past its memory limit.
    const starved = new Proxy(other, {
      get(target, property) {
        if (property === "run")
          return (sql: string, ...rest: unknown[]) =>
            sql.startsWith("COPY")
              ? Promise.reject(new Error("Out of Memory Error: failed to allocate data of size 4.2 MiB"))
              : (target.run as (...a: unknown[]) => unknown).call(target, sql, ...rest);
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const parts = await exportMarkedParts(db.connection, lakeDir, [starved]);
    expect(
      parts
        .filter((p) => p.table === "fact_observation")
        .map((p) => p.part)
        .sort(),
    ).toEqual(years.map((y) => `year=${y}`));
    expect(await rows(db.connection, "SELECT count(*)::INTEGER AS n FROM _lake_dirty")).toEqual([{ n: 0 }]);
    await (await oneShot(db, lakeDir, biPath)).stop();
    expect(
      await queryBi(biPath, "SELECT year, count(*)::INTEGER AS n FROM fact_observation GROUP BY year ORDER BY year"),
    ).toEqual(years.map((year) => ({ year, n: 1 })));
  });

  it("stops at a file that cannot be written, with every partition either written or still marked", async () => {
    const { db, lakeDir, biPath } = await setup();
    await load(db);
    // Something that a rename cannot replace stands where the 2021 partition goes.
    mkdirSync(join(lakeDir, "fact_observation", "year=2021", "data.parquet", "in-the-way"), { recursive: true });
    const error = await (await oneShot(db, lakeDir, biPath)).stop().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(String((error as Error | undefined)?.message)).toContain("previous files are kept");
    const marked = (
      await rows(db.connection, "SELECT part FROM _lake_dirty WHERE table_name = 'fact_observation'")
    ).map((r) => String(r["part"]));
    expect(marked).toContain("year=2021");
    for (const y of years) {
      const file = join(lakeDir, "fact_observation", `year=${y}`, "data.parquet");
      expect(marked.includes(`year=${y}`) || (existsSync(file) && statSync(file).isFile()), `year ${y}`).toBe(true);
    }
  });
});

describe("bi.duckdb with a relative lake path", () => {
  it("names the lake relative to the reader's working directory, so the data folder can move or be mounted elsewhere", async () => {
    const { db, dataDir, lakeDir, biPath } = await setup();
    await writeBatch(db.connection, "g", [delivered(observation(), 0)], [], []);
    const lake = await startLakePublisher({
      connection: db.connection,
      lakeDir,
      biPath,
      lakeRef: "lake",
      intervalMs: 0,
      serial: createSerial(),
      logger: silentLogger(),
    });
    await lake.stop();
    const views = await queryBi(biPath, "SELECT sql FROM duckdb_views() WHERE view_name = 'fact_observation'");
    expect(String(views[0]!["sql"])).toContain("'lake/fact_observation/*/_v/data/*.parquet'");
    // A reader started in the data folder finds the files (DuckDB resolves relative paths from its working directory).
    const reader = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `
      const { DuckDBInstance } = await import(${JSON.stringify(import.meta.resolve("@duckdb/node-api"))});
      const c = await (await DuckDBInstance.create("bi.duckdb", { access_mode: "READ_ONLY" })).connect();
      process.stdout.write(JSON.stringify((await c.runAndReadAll("SELECT count(*)::INTEGER AS n FROM obs_latest")).getRowObjectsJson()));`,
      ],
      { cwd: dataDir, encoding: "utf8" },
    );
    expect(reader.stderr).toBe("");
    expect(JSON.parse(reader.stdout)).toEqual([{ n: 1 }]);
  });
});

describe("dead letters resolved outside the loader", () => {
  it("reach the lake at the next start", async () => {
    const { db, lakeDir, biPath, start } = await setup();
    const letter = {
      stage: "transform" as const,
      feed: "stats-bureau-income",
      source: { feed: "stats-bureau-income", uri: "income.csv", position: { line: 63 } },
      payload: {},
      reasons: [{ code: "unknown_region", message: "no such region" }],
      at: "2024-02-01T00:00:00.000Z",
    };
    await writeBatch(db.connection, "g", [], [{ letter }], []);
    await (await start()).stop();
    const file = join(lakeDir, "quarantine.parquet");
    const before = statSync(file).ino;
    // What gongfu replay does while no loader runs.
    await db.connection.run("UPDATE quarantine SET resolved_at = current_timestamp");
    await (await start()).stop();
    expect(statSync(file).ino).not.toBe(before);
    expect(await queryBi(biPath, "SELECT count(resolved_at)::INTEGER AS n FROM quarantine")).toEqual([{ n: 1 }]);
    // Nothing changed since: the next start leaves the file alone.
    const after = statSync(file).ino;
    await (await start()).stop();
    expect(statSync(file).ino).toBe(after);
  });

  it("waits for a pause in a burst of deliveries before an interval export, unless the lake is older than the bound", async () => {
    const { db, lakeDir, biPath } = await setup();
    let busy = true;
    const lake = await startLakePublisher({
      connection: db.connection,
      lakeDir,
      biPath,
      lakeRef: lakeDir,
      intervalMs: 20,
      busy: () => busy,
      maxStaleMs: 400,
      serial: createSerial(),
      logger: silentLogger(),
    });
    const part = (year: number) => join(lakeDir, "fact_observation", `year=${year}`, "data.parquet");
    await writeBatch(db.connection, "g", [delivered(observation(), 0)], [], []);
    await new Promise((r) => setTimeout(r, 150));
    expect(existsSync(part(2023)), "busy: the export waits").toBe(false);
    // Busy for ever: exported anyway once the lake is maxStaleMs old (and the export's own time share allows).
    await vi.waitFor(() => expect(existsSync(part(2023))).toBe(true), { timeout: 10_000, interval: 50 });
    const later = observation({ period: "2024", source: { feed: "f", uri: "u.csv", position: { line: 41 } } });
    await writeBatch(db.connection, "g", [delivered(later, 1)], [], []);
    busy = false;
    await vi.waitFor(() => expect(existsSync(part(2024))).toBe(true), { timeout: 10_000, interval: 50 });
    await lake.stop();
  });
});
