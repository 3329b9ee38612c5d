import { mkdirSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defaultCatalog } from "../../schemas/index.ts";
import { withWarehouse } from "../helpers/duckdb.ts";

/**
 * The record part of the kill-anywhere suite (kill-records.integration.test.ts): a household feed with an identifier
 * to pseudonymise, and two
 * derivations (a band share and a Gini, at all three levels, so small counties are suppressed). Each round drops
 * one file of RECORDS_PER_CHUNK households of its own survey year: two record batches (RECORD_BATCH_ROWS is 65,536),
 * so a kill can land between a source's batches, and cells no other round touches, so the derived values do not
 * depend on how the rounds were grouped into deliveries.
 */
export const RECORDS_PER_CHUNK = 70_000;

const FEED = `id: kill-households
name: 断电测试住户 Kill-test households
department: { code: test, name: 测试 Test }
connector: { kind: file-drop, path: kill-households, pattern: "*.csv" }
format: { kind: csv }
records:
  columns:
    household_id: { type: string, personal: identifier }
    county_code: { type: region }
    survey_year: { type: integer }
    income: { type: number, personal: attribute }
  key: [household_id]
  region: county_code
  eventTime: survey_year
frequency: annual
`;

const derivation = (id: string, measure: string) =>
  `id: ${id}\nindicator: households_100k_500k_share\nrecords: kill-households\nmeasure: ${measure}\n`;

export function writeRecordFeed(feeds: string): void {
  mkdirSync(join(feeds, "records"), { recursive: true });
  mkdirSync(join(feeds, "derivations"), { recursive: true });
  writeFileSync(join(feeds, "records", "kill-households.yaml"), FEED);
  writeFileSync(
    join(feeds, "derivations", "kill-band.yaml"),
    derivation("kill-band", "{ kind: share_in_band, column: income, min: 100000, max: 500000 }"),
  );
  writeFileSync(
    join(feeds, "derivations", "kill-gini.yaml"),
    derivation("kill-gini", "{ kind: gini, column: income }"),
  );
}

/** Generates round k's households (the same for the same k everywhere) and drops them with vintage `published`. */
export function dropRecordChunk(staging: string, inbox: string, k: number, published: Date): void {
  const counties = defaultCatalog()
    .regions.filter((r) => r.level === "county")
    .map((r) => r.code);
  let seed = 9001 + k;
  const lines = ["household_id,county_code,survey_year,income"];
  for (let i = 0; i < RECORDS_PER_CHUNK; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    // Counties unevenly: the last few get a handful of households each, fewer than k = 10 in some.
    const county = counties[Math.floor(((seed >>> 8) / 2 ** 23) ** 0.25 * counties.length) % counties.length]!;
    const income = Math.round(Math.exp(11.8 + 1.3 * ((seed % 10_000) / 10_000 - 0.5)));
    lines.push(`K${k}-${i},${county},${2010 + k},${income}`);
  }
  const file = join(staging, `households-${k}.csv`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  utimesSync(file, published, published);
  mkdirSync(join(inbox, "kill-households"), { recursive: true });
  renameSync(file, join(inbox, "kill-households", `households-${k}.csv`));
}

/** Record files whose every batch the warehouse holds (committed: a killed transaction leaves none of its own). */
export async function recordFilesLoaded(warehouse: string): Promise<number> {
  return withWarehouse(warehouse, async (query) => {
    const [row] = await query(
      "SELECT count(*)::INT AS n FROM (SELECT checksum FROM record_batch GROUP BY checksum HAVING count(*) = 2)",
    );
    return Number(row?.["n"] ?? 0);
  }).catch(() => 0);
}

/** Every derived cell, suppressed ones included, without when it was computed or on which snapshot. */
export async function derivedCellSet(warehouse: string): Promise<string[]> {
  return withWarehouse(warehouse, async (query) => {
    const rows = await query(`SELECT concat_ws('|', derivation, indicator_code, region_code, period,
        coalesce(CAST(round(value, 9) AS VARCHAR), '-'), CAST(records AS VARCHAR), CAST(suppressed AS VARCHAR),
        CAST(vintage AS VARCHAR)) AS line FROM derived_cell ORDER BY line`);
    return rows.map((r) => String(r["line"]));
  });
}
