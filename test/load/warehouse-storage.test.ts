import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { openWarehouse, writeBatch } from "../../load/index.ts";
import { STORAGE_VERSION } from "../../load/warehouse.ts";
import { WAREHOUSE } from "../../schemas/index.ts";
import { delivered, observation, tempDir } from "./fixtures.ts";

/** The storage format DuckDB reports for the warehouse file ("v1.4.0+": that version or newer reads it). */
async function storageVersion(connection: DuckDBConnection): Promise<string> {
  const reader = await connection.runAndReadAll(
    "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()",
  );
  return String(reader.getRows()[0]?.[0]);
}

async function factCount(connection: DuckDBConnection): Promise<number> {
  return Number(
    (await connection.runAndReadAll(`SELECT count(*) FROM ${WAREHOUSE.factObservation}`)).getRows()[0]?.[0],
  );
}

describe("the warehouse's storage format", () => {
  it("writes a new warehouse file in the format it names, which DuckDB reports after reopening", async () => {
    const path = `${tempDir("storage")}/new.duckdb`;
    const first = await openWarehouse(path);
    await writeBatch(first.connection, "g", [delivered(observation(), 0)], [], []);
    first.close();
    const again = await openWarehouse(path);
    try {
      expect(STORAGE_VERSION).toBe("v1.4.0");
      expect(await storageVersion(again.connection)).toBe(`${STORAGE_VERSION}+`);
      expect(await factCount(again.connection)).toBe(1);
    } finally {
      again.close();
    }
  });

  it("opens, migrates and writes a file created in DuckDB's default format, which it keeps", async () => {
    const path = `${tempDir("storage")}/old.duckdb`;
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    const before = await storageVersion(connection);
    await connection.run("CREATE TABLE older_data AS SELECT 1 AS i");
    connection.closeSync();
    instance.closeSync();
    expect(before).not.toBe(`${STORAGE_VERSION}+`);

    const warehouse = await openWarehouse(path);
    try {
      await writeBatch(warehouse.connection, "g", [delivered(observation(), 0)], [], []);
      expect(await factCount(warehouse.connection)).toBe(1);
      expect(await storageVersion(warehouse.connection)).toBe(before);
    } finally {
      warehouse.close();
    }
  });
});
