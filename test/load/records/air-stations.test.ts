import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../runtime/logger.ts";
import { topicNames, type DeadLetter } from "../../../schemas/index.ts";
import { REPO } from "../../helpers/cli.ts";
import { recordRig, type RecordRig } from "./record-scenario.ts";

// The shipped air-quality station feed and its two derivations (feeds/records/air-stations.yaml,
// feeds/derivations/pm25-concentration.yaml and good-air-days-share.yaml) on the shipped sample readings, checked
// against an independent DuckDB computation over the file: a city's day is the mean of its readings of that day in
// China Standard Time, its year the mean of its days; the province pools every city's days.
const SPEC = readFileSync(join(REPO, "feeds/records/air-stations.yaml"), "utf8");
const DERIVATIONS = ["pm25-concentration", "good-air-days-share"].map((id) =>
  readFileSync(join(REPO, `feeds/derivations/${id}.yaml`), "utf8"),
);
const SAMPLE = join(REPO, "samples/feeds/air-stations/zj-air-stations-2024.csv");
const ECOLOGY = join(REPO, "samples/feeds/ecology-environment/zj-environment-2020-01-2025-09.ndjson");
const BAD = [
  "title",
  "station_id,county_code,city_code,read_at,pm25",
  "1001A,330102,330100,2025-01-01T00:00:00+08:00,-5", // a negative concentration
  "1001A,330102,330100,2025-01-01T01:00:00+08:00,12",
  "1001A,330102,330100,2025-13-01T02:00:00+08:00,12", // no month 13
  "9999A,339999,330100,2025-01-01T03:00:00+08:00,12", // no county 339999
];

let rig: RecordRig;
const dead: DeadLetter[] = [];
beforeAll(async () => {
  rig = await recordRig(DERIVATIONS, createLogger({ level: "silent" }), SPEC);
  const publish = rig.bus.publish.bind(rig.bus);
  rig.bus.publish = async (topic, records) => {
    if (topic === topicNames("test").dlqIngest) dead.push(...records.map((r) => r.value as DeadLetter));
    await publish(topic, records);
  };
  rig.drop("zj-air-stations-2024.csv", readFileSync(SAMPLE, "utf8"));
  await rig.ingest();
}, 60_000);
afterAll(() => rig.close());

interface Want {
  mean: number;
  good: number;
  n: number;
}

async function independent(): Promise<Map<string, Want>> {
  const instance = await DuckDBInstance.create(":memory:");
  const c = await instance.connect();
  try {
    await c.run("SET TimeZone = 'UTC'");
    const rows = (
      await c.runAndReadAll(`
WITH r AS (SELECT city_code, CAST(read_at AS TIMESTAMPTZ) AS t, CAST(nullif(pm25, '') AS DOUBLE) AS v
           FROM read_csv('${SAMPLE}', skip = 1, header = true, all_varchar = true)),
city_day AS (SELECT city_code, CAST(t AT TIME ZONE 'Asia/Shanghai' AS DATE) AS d, avg(v) AS daily, count(v) AS n
             FROM r WHERE v IS NOT NULL GROUP BY ALL),
cells AS (SELECT city_code AS cell, * FROM city_day UNION ALL SELECT '330000' AS cell, * FROM city_day)
SELECT cell, CAST(year(d) AS VARCHAR) AS period, avg(daily) AS mean,
       100.0 * count(*) FILTER (WHERE daily <= 75) / count(*) AS good, sum(n) AS n
FROM cells GROUP BY ALL`)
    ).getRowObjects();
    return new Map(
      rows.map((r) => [
        `${String(r["cell"])}|${String(r["period"])}`,
        { mean: Number(r["mean"]), good: Number(r["good"]), n: Number(r["n"]) },
      ]),
    );
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

async function derived(id: string): Promise<Map<string, { value: number; records: number }>> {
  const rows = (
    await rig.warehouse.connection.runAndReadAll(
      `SELECT region_code, period, value, records FROM derived_cell WHERE derivation = '${id}' AND NOT suppressed`,
    )
  ).getRowObjects();
  return new Map(
    rows.map((r) => [
      `${String(r["region_code"])}|${String(r["period"])}`,
      { value: Number(r["value"]), records: Number(r["records"]) },
    ]),
  );
}

describe("the air-quality station feed (空气质量监测站)", () => {
  it("derives pm25_concentration and good_air_days_share for the cities and the province as an independent SQL does", async () => {
    const want = await independent();
    expect(want.size).toBe(12); // 11 cities and the province, 2024
    const mean = await derived("pm25-concentration");
    const good = await derived("good-air-days-share");
    expect(mean.size).toBe(12);
    expect(good.size).toBe(12);
    for (const [cell, w] of want) {
      expect(mean.get(cell)?.value, cell).toBeCloseTo(w.mean, 9);
      expect(good.get(cell)?.value, cell).toBeCloseTo(w.good, 9);
      expect(mean.get(cell)?.records, cell).toBe(w.n);
    }
  });

  it("lands near the ecology sample's 2024 city annual PM2.5 (within 0.3 μg/m³)", async () => {
    const published = readFileSync(ECOLOGY, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { code: string; indicator: string; period: string; value: number })
      .filter((r) => r.indicator === "PM2.5" && r.period === "2024");
    expect(published).toHaveLength(12);
    const mean = await derived("pm25-concentration");
    for (const p of published) expect(Math.abs(mean.get(`${p.code}|2024`)!.value - p.value), p.code).toBeLessThan(0.3);
  });

  it("refuses a negative reading, a bad timestamp and an unknown county as dead letters with file, line, field, reason", async () => {
    dead.length = 0;
    rig.drop("bad.csv", `${BAD.join("\n")}\n`);
    const [stats] = await rig.ingest();
    expect(stats).toMatchObject({ records: 1, rejected: 3 });
    expect(
      dead.map((d) => ({
        uri: d.source.uri,
        line: d.source.position.line,
        reasons: d.reasons.map((r) => [r.path, r.code]),
      })),
    ).toEqual([
      { uri: "bad.csv", line: 3, reasons: [["pm25", "out_of_range"]] },
      { uri: "bad.csv", line: 5, reasons: [["read_at", "bad_date"]] },
      { uri: "bad.csv", line: 6, reasons: [["county_code", "unknown_region"]] },
    ]);
    // Nothing here is personal: the dead letter shows the row as it came.
    expect(dead[0]?.payload).toMatchObject({ station_id: "1001A", pm25: "-5" });
  });
});
