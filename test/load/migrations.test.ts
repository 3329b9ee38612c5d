import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { migrate, openWarehouse, openWarehouseReadOnly, schemaVersion } from "../../load/index.ts";
import { MIGRATIONS } from "../../load/migrations/index.ts";
import { rows, tempDir } from "./fixtures.ts";

/** What release 1 wrote: only migration 1, and rows in its tables. */
async function createReleaseOneWarehouse(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    expect(await migrate(connection, { upTo: 1 })).toBe(1);
    await connection.run(
      `INSERT INTO fact_observation (obs_key, indicator_code, region_code, period, value, unit, ` +
        `vintage, source_feed, source_uri, source_position, source_line, ingested_at, loaded_at) VALUES
      (1, 'disposable_income_per_capita', '330100', '2023', 75810, '元', ` +
        `'2024-01-20T00:00:00Z', 'stats-bureau-income', 'a.csv', 'line 40', 40, ` +
        `'2024-02-01T00:00:00Z', '2024-02-01T00:00:00Z'),
      (2, 'disposable_income_per_capita', '330100', '2023', 76000, '元', ` +
        `'2024-06-30T00:00:00Z', 'stats-bureau-income', 'b.csv', 'line 40', 40, ` +
        `'2024-07-01T00:00:00Z', '2024-07-01T00:00:00Z')`,
    );
    await connection.run("INSERT INTO _kafka_offsets VALUES ('g', 'gongfu.observations', 0, 42, current_timestamp)");
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("warehouse migrations", () => {
  it("upgrades a warehouse of release 1 in place, keeping its rows and positions", async () => {
    const path = join(tempDir("migrate"), "gongfu.duckdb");
    await createReleaseOneWarehouse(path);

    // Opened the way every command opens it.
    const warehouse = await openWarehouse(path);
    const { connection } = warehouse;
    try {
      const newest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
      expect(await schemaVersion(connection)).toBe(newest);
      expect(await rows(connection, "SELECT version FROM _schema_migrations ORDER BY version")).toEqual(
        MIGRATIONS.map((m) => ({ version: m.version })),
      );
      expect(await rows(connection, "SELECT value FROM fact_observation ORDER BY obs_key")).toEqual([
        { value: 75810 },
        { value: 76000 },
      ]);
      expect(await rows(connection, "SELECT next_offset FROM _kafka_offsets")).toEqual([{ next_offset: "42" }]);
      // The views of later versions work on the old rows.
      expect(await rows(connection, "SELECT value FROM obs_latest")).toEqual([{ value: 76000 }]);
      expect(await rows(connection, "SELECT value FROM obs_as_of('2024-03-01T00:00:00Z')")).toEqual([{ value: 75810 }]);
      expect(await rows(connection, "SELECT count(*)::INTEGER AS n FROM _lake_dirty")).toEqual([{ n: 0 }]);
      // Version 4: the fact table keeps its rows but no longer has an index on its key.
      expect(
        await rows(
          connection,
          "SELECT count(*)::INTEGER AS n FROM duckdb_constraints() WHERE table_name = " +
            "'fact_observation' AND constraint_type = 'PRIMARY KEY'",
        ),
      ).toEqual([{ n: 0 }]);
      expect(
        await rows(
          connection,
          "SELECT count(*)::INTEGER AS n FROM duckdb_indexes() WHERE table_name = 'fact_observation'",
        ),
      ).toEqual([{ n: 0 }]);
      // Running it again changes nothing.
      expect(await migrate(connection)).toBe(newest);
      expect(await rows(connection, "SELECT count(*)::INTEGER AS n FROM _schema_migrations")).toEqual([
        { n: MIGRATIONS.length },
      ]);
    } finally {
      warehouse.close();
    }
  });

  it("leaves no fact or dimension column, and no view, without a comment", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      await migrate(connection);
      const uncommented = await rows(
        connection,
        `SELECT table_name || '.' || column_name AS c FROM duckdb_columns()
        WHERE schema_name = 'main' AND comment IS NULL AND (table_name LIKE 'dim_%' OR ` +
          `table_name IN ('fact_observation', 'quarantine', '_kafka_offsets', '_lake_dirty'))`,
      );
      expect(uncommented).toEqual([]);
      const views = await rows(
        connection,
        "SELECT view_name, comment IS NOT NULL AS commented FROM duckdb_views() WHERE NOT internal ORDER BY view_name",
      );
      expect(views).toEqual([{ view_name: "obs_latest", commented: true }]);
      expect(
        await rows(
          connection,
          "SELECT comment IS NOT NULL AS commented FROM duckdb_functions() WHERE function_name = 'obs_as_of'",
        ),
      ).toEqual([{ commented: true }]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("opens again after the process that created and migrated it was killed", async () => {
    const path = join(tempDir("migrate-killed"), "gongfu.duckdb");
    const child = spawnSync(process.execPath, [join(import.meta.dirname, "kill-after-open.ts"), path]);
    expect(child.signal).toBe("SIGKILL");
    expect(existsSync(path)).toBe(true);
    const warehouse = await openWarehouseReadOnly(path);
    try {
      expect(
        await rows(
          warehouse.connection,
          "SELECT (SELECT max(version) FROM _schema_migrations) AS v, (SELECT count(*) FROM dim_region)::INTEGER AS regions",
        ),
      ).toEqual([{ v: MIGRATIONS.length, regions: 102 }]);
    } finally {
      warehouse.close();
    }
  });

  it("refuses a warehouse written by a newer gongfu", async () => {
    const path = join(tempDir("migrate-newer"), "gongfu.duckdb");
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    try {
      await migrate(connection);
      await connection.run("INSERT INTO _schema_migrations (version, name) VALUES (999, 'from the future')");
      await expect(migrate(connection)).rejects.toThrow(/schema version 999, newer than this gongfu/);
      expect(await schemaVersion(connection)).toBe(999);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    await expect(openWarehouseReadOnly(join(tempDir("none"), "missing.duckdb"))).rejects.toThrow(/no warehouse at/);
  });
});
