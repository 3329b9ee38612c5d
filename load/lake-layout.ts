import { join, resolve } from "node:path";
import { WAREHOUSE } from "../schemas/index.ts";

/**
 * The Parquet lake under <dataDir>/lake:
 *   fact_observation/year=2024/data.parquet   one file per year of the period (Hive partitioning)
 *   dim_region.parquet, quarantine.parquet, … one file per small table
 * each with its versions beside it under `_v/` (lake-versions.ts): every version is written once, never changed.
 */
export const LAKE_FILE_TABLES = [
  WAREHOUSE.dimDimension,
  WAREHOUSE.dimIndicator,
  WAREHOUSE.dimRegion,
  WAREHOUSE.dimPeriod,
  WAREHOUSE.quarantine,
] as const;
export type LakeFileTable = (typeof LAKE_FILE_TABLES)[number];

export const FACT_TABLE = WAREHOUSE.factObservation;

/** Where the lake and bi.duckdb live for a data folder. */
export function lakePaths(dataDir: string): { lakeDir: string; biPath: string } {
  return { lakeDir: resolve(dataDir, "lake"), biPath: resolve(dataDir, "bi.duckdb") };
}
export const PARTITION_FILE = "data.parquet";

/** One lake mark (`_lake_dirty`) as a string: table and part (`year=2024`; a whole table has part ''). */
export const lakeMarkKey = (table: string, part: string): string => `${table}/${part}`;

export function isLakeFileTable(name: string): name is LakeFileTable {
  return (LAKE_FILE_TABLES as readonly string[]).includes(name);
}

export function tableFile(lakeDir: string, table: LakeFileTable): string {
  return join(lakeDir, `${table}.parquet`);
}

/** `year=2024` → 2024; anything else is not a partition of ours. */
export function partitionYear(part: string): number | undefined {
  const m = /^year=(\d{4})$/.exec(part);
  return m ? Number(m[1]) : undefined;
}

export function factPartitionFile(lakeDir: string, year: number): string {
  return join(lakeDir, FACT_TABLE, `year=${year}`, PARTITION_FILE);
}

/**
 * `year=0`: a partition that holds no rows, written at every loader start with the facts' columns. DuckDB's
 * read_parquet fails on a glob that matches nothing, so this file makes bi.duckdb's fact view valid from the first
 * moment, over the same glob later partitions join: a BI connection opened on an empty lake sees them without
 * reconnecting. `partitionYear` does not take it for a year of ours (it has no four digits).
 */
export const EMPTY_PARTITION = "year=0";

export function emptyFactPartitionFile(lakeDir: string): string {
  return join(lakeDir, FACT_TABLE, EMPTY_PARTITION, PARTITION_FILE);
}

/**
 * A 128-bit key as 32 hex digits: Parquet has no 128-bit integer (DuckDB would write a lossy DOUBLE), and DuckDB 1.5
 * casts UHUGEINT to decimal text at about 0.2 ms a value, far too slow for a partition. Fixed width sorts as the number.
 * lpad counts characters, and cost twice what hex does (~0.2 s per 10^6 keys); fifteen keys in sixteen have a
 * non-zero first digit and need no padding, so only the others go through it (same text, ~0.13 s per 10^6).
 */
export function keyAsText(column: string): string {
  return `CASE WHEN strlen(hex(${column})) = 32 THEN hex(${column}) ELSE lpad(hex(${column}), 32, '0') END`;
}

/** What goes into the files: the table's rows, keys as text. */
export function lakeProjection(table: LakeFileTable | typeof FACT_TABLE): string {
  switch (table) {
    case FACT_TABLE:
      return `SELECT * REPLACE (${keyAsText("obs_key")} AS obs_key) FROM ${WAREHOUSE.factObservation}`;
    case WAREHOUSE.quarantine:
      return `SELECT * REPLACE (${keyAsText("dl_key")} AS dl_key) FROM ${WAREHOUSE.quarantine}`;
    default:
      return `SELECT * FROM ${table}`;
  }
}

/**
 * The order of each single-file table. Fact partitions have none: they are written in the warehouse's own order
 * (the order rows were loaded), which DuckDB streams on both cores with little memory. Sorting a year by indicator,
 * region, period, vintage and key let a BI query on one indicator skip row groups, but on the bench's 5·10^6 facts
 * (seven years of ~714,000 rows) the sorts took 12.6 s of wall time and 20.9 s of CPU at the end of every one-shot
 * run, spilling past the warehouse's memory limit; unsorted, two years at a time, 5.8 s and 10.4 s. A query on one
 * indicator (and region) of that lake takes 60-75 ms instead of 14-28 ms (BENCHMARKS.md, ninth session).
 */
export const LAKE_ORDER: Record<LakeFileTable, string> = {
  quarantine: "failed_at, dl_key",
  dim_dimension: "code",
  dim_indicator: "code",
  dim_region: "code",
  dim_period: "period",
};

/**
 * How lake files are written. zstd at level 1 rather than DuckDB's default 3: on the bench's 5·10^6 facts the seven
 * year partitions took 3.9-4.2 s against 4.7-5.0 s and came out 1% smaller (148.4 MB against 150.4 MB), and a
 * one-shot run writes them at its end, on its critical path (BENCHMARKS.md, eighth session).
 */
export const LAKE_PARQUET_OPTIONS = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1";
