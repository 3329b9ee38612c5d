import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { openWarehouse, syncCatalog, type Warehouse } from "../../load/index.ts";
import { defaultCatalog } from "../../schemas/index.ts";

export interface SyntheticObs {
  indicator: string;
  region: string;
  period: string;
  value: number;
  /** When the value was published (ISO 8601). */
  vintage: string;
  uri?: string;
  line?: number;
}

/** A fresh warehouse file with the shipped catalog, made through the loader's public API (tests may wire stages). */
export async function createSyntheticWarehouse(): Promise<Warehouse & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "gongfu-eval-"));
  const warehouse = await openWarehouse(join(dataDir, "gongfu.duckdb"));
  await syncCatalog(warehouse.connection, defaultCatalog());
  return { ...warehouse, dataDir };
}

/** Inserts observations as the loader would store them, each with a source file and line. */
export async function insertObservations(connection: DuckDBConnection, rows: readonly SyntheticObs[]): Promise<void> {
  let line = 1;
  for (const r of rows) {
    const uri = r.uri ?? "synthetic/feed.csv";
    const l = r.line ?? ++line;
    await connection.run(
      `INSERT INTO fact_observation (obs_key, indicator_code, region_code, period, value, unit, ` +
        `vintage, source_feed, source_uri, source_position, source_line, ingested_at)
       SELECT md5_number(concat_ws('|', $1, $2, $3, $5, $7, $8)), $1, $2, $3, $4, unit, ` +
        `CAST($5 AS TIMESTAMPTZ), 'synthetic', $7, $8, $6, CAST($5 AS TIMESTAMPTZ)
       FROM dim_indicator WHERE code = $1`,
      [r.indicator, r.region, r.period, r.value, r.vintage, l, uri, `line ${l}`],
    );
  }
}

export const CITIES = [
  "330100",
  "330200",
  "330300",
  "330400",
  "330500",
  "330600",
  "330700",
  "330800",
  "330900",
  "331000",
  "331100",
] as const;
