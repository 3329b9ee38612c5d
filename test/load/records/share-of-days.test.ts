import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../runtime/logger.ts";
import { recordRig, type RecordRig } from "./record-scenario.ts";

// Hourly PM2.5 readings at stations: the share of station-days whose daily mean (a day in Zhejiang's time zone) is
// at most 75 μg/m³, per county, city and province; checked against an independent DuckDB computation over the file.
const STATIONS = `
id: test-stations
name: 测试站点 Test stations
department: { code: test, name: 测试 Test }
connector: { kind: file-drop, path: test-stations, pattern: "*.csv" }
format: { kind: csv }
records:
  columns:
    station_id: { type: string }
    county_code: { type: region }
    read_at: { type: timestamp }
    pm25: { type: number, optional: true }
  key: [station_id, read_at]
  region: county_code
  eventTime: read_at
frequency: daily
vintage: { published: 2025-01-05 }
`;
const GOOD_DAYS = `
id: test-good-days
indicator: pm25_concentration
records: test-stations
measure: { kind: share_of_days, column: pm25, placeColumn: station_id, threshold: 75 }
minRecords: 1
`;
const MEAN_OF_DAYS = `
id: test-mean-of-days
indicator: pm25_concentration
records: test-stations
measure: { kind: mean_of_days, column: pm25, placeColumn: station_id }
minRecords: 1
`;
const PLACES: Record<string, string[]> = { "330102": ["S1", "S2"], "330106": ["S3"], "330212": ["S4"] };

function readings(): string {
  let seed = 5;
  const lines = ["station_id,county_code,read_at,pm25"];
  // 20 days around the turn of the year, hourly, in UTC: the Shanghai day differs from the UTC day.
  for (const [county, stations] of Object.entries(PLACES))
    for (const station of stations)
      for (let h = 0; h < 20 * 24; h++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const t = new Date(Date.UTC(2024, 11, 22) + h * 3_600_000).toISOString();
        const value = h % 50 === 7 ? "" : String(Math.round(20 + (seed / 2 ** 31) * 110));
        lines.push(`${station},${county},${t},${value}`);
      }
  return `${lines.join("\n")}\n`;
}

let rig: RecordRig;
let file: string;
beforeAll(async () => {
  rig = await recordRig([GOOD_DAYS, MEAN_OF_DAYS], createLogger({ level: "silent" }), STATIONS);
  const text = readings();
  rig.drop("readings.csv", text);
  file = join(rig.dir, "copy.csv");
  writeFileSync(file, text);
  await rig.ingest();
});
afterAll(() => rig.close());

describe("share of days meeting a threshold, and mean of daily means", () => {
  it("equal an independent computation per county, city and province and year", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const c = await instance.connect();
    await c.run("SET TimeZone = 'UTC'");
    const want = (
      await c.runAndReadAll(`
WITH r AS (SELECT station_id, county_code, CAST(read_at AS TIMESTAMPTZ) AS t, CAST(nullif(pm25, '') AS DOUBLE) AS v
           FROM read_csv('${file}', all_varchar = true)),
days AS (SELECT station_id, county_code, CAST(t AT TIME ZONE 'Asia/Shanghai' AS DATE) AS d, avg(v) AS daily
         FROM r WHERE v IS NOT NULL GROUP BY ALL),
places AS (SELECT * FROM (VALUES ('330102', '330102'), ('330102', '330100'), ('330102', '330000'),
  ('330106', '330106'), ('330106', '330100'), ('330106', '330000'),
  ('330212', '330212'), ('330212', '330200'), ('330212', '330000')) p(county, cell))
SELECT p.cell, CAST(year(d) AS VARCHAR) AS period, 100.0 * count(*) FILTER (WHERE daily <= 75) / count(*) AS share,
       sum(daily) / count(*) AS mean
FROM days JOIN places p ON p.county = days.county_code GROUP BY ALL`)
    ).getRowObjects();
    c.closeSync();
    instance.closeSync();
    const got = new Map(
      (
        await rig.warehouse.connection.runAndReadAll(
          "SELECT region_code, period, value FROM derived_cell WHERE derivation = 'test-good-days'",
        )
      )
        .getRowObjects()
        .map((r) => [`${String(r["region_code"])}|${String(r["period"])}`, Number(r["value"])] as const),
    );
    expect(want.length).toBe(12); // 6 regions × 2 years
    expect(got.size).toBe(want.length);
    for (const w of want)
      expect(got.get(`${String(w["cell"])}|${String(w["period"])}`)).toBeCloseTo(Number(w["share"]), 9);
    // The mean of daily means: each station-day weighs the same, however many hours it has.
    const means = new Map(
      (
        await rig.warehouse.connection.runAndReadAll(
          "SELECT region_code, period, value FROM derived_cell WHERE derivation = 'test-mean-of-days'",
        )
      )
        .getRowObjects()
        .map((r) => [`${String(r["region_code"])}|${String(r["period"])}`, Number(r["value"])] as const),
    );
    expect(means.size).toBe(want.length);
    for (const w of want)
      expect(means.get(`${String(w["cell"])}|${String(w["period"])}`)).toBeCloseTo(Number(w["mean"]), 9);
  });
});
