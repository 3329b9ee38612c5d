import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../runtime/logger.ts";
import { entitySpecYaml, recordRig, type RecordRig } from "./record-scenario.ts";

// A registry of entities, each registered on a date and perhaps cancelled on a later one. The stock of a year is the
// entities live at its end; checked against an independent DuckDB computation over the file itself.
const REGISTRY = entitySpecYaml("test-registry", "测试登记 Test registry");
const LIVE = `
id: test-live
indicator: market_entities
records: test-registry
period: { kind: stock, end: cancelled_on }
measure: { kind: count }
scale: 0.0001
minRecords: 1
`;
const FROM_2021 = LIVE.replace("id: test-live", "id: test-live-2021").replace(
  "end: cancelled_on }",
  "end: cancelled_on, from: 2021 }",
);
const COUNTIES = ["330102", "330106", "330212"];

function registry(): string[] {
  let seed = 99;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const day = (from: number, span: number) => new Date(Date.UTC(from, 0, 1) + Math.floor(next() * span) * 86_400_000);
  const lines = ["entity_id,county_code,registered_on,cancelled_on"];
  for (let i = 0; i < 600; i++) {
    const start = day(2018, 365 * 6);
    const cancelled = next() < 0.3 ? new Date(start.getTime() + Math.floor(next() * 365 * 4) * 86_400_000) : undefined;
    lines.push(
      `E${i},${COUNTIES[i % 3]},${start.toISOString().slice(0, 10)},` +
        (cancelled && cancelled.getUTCFullYear() < 2025 ? cancelled.toISOString().slice(0, 10) : ""),
    );
  }
  return lines;
}

let rig: RecordRig;
let file: string;
const lines = registry();
beforeAll(async () => {
  rig = await recordRig([LIVE, FROM_2021], createLogger({ level: "silent" }), REGISTRY);
  const text = `${lines.join("\n")}\n`;
  rig.drop("registry.csv", text);
  file = join(rig.dir, "copy.csv");
  writeFileSync(file, text);
  await rig.ingest();
});
afterAll(() => rig.close());

async function independent(path: string): Promise<Map<string, number>> {
  const instance = await DuckDBInstance.create(":memory:");
  const c = await instance.connect();
  const rows = (
    await c.runAndReadAll(`
WITH e AS (SELECT county_code, CAST(registered_on AS DATE) AS r, CAST(nullif(cancelled_on, '') AS DATE) AS x
           FROM read_csv('${path}', all_varchar = true)),
places AS (SELECT * FROM (VALUES ('330102', '330102'), ('330102', '330100'), ('330102', '330000'),
  ('330106', '330106'), ('330106', '330100'), ('330106', '330000'),
  ('330212', '330212'), ('330212', '330200'), ('330212', '330000')) p(county, cell)),
years AS (SELECT y FROM range(2018, 2025) t(y))
SELECT p.cell, CAST(years.y AS VARCHAR) AS period, count(*) AS n
FROM e JOIN places p ON p.county = e.county_code CROSS JOIN years
WHERE e.r <= make_date(years.y, 12, 31) AND (e.x IS NULL OR e.x > make_date(years.y, 12, 31))
GROUP BY ALL`)
  ).getRowObjects();
  c.closeSync();
  instance.closeSync();
  return new Map(rows.map((r) => [`${String(r["cell"])}|${String(r["period"])}`, Number(r["n"])]));
}

const derived = async (id = "test-live"): Promise<Map<string, number>> =>
  new Map(
    (
      await rig.warehouse.connection.runAndReadAll(
        `SELECT region_code, period, records, value FROM derived_cell WHERE derivation = '${id}'`,
      )
    )
      .getRowObjects()
      .map((r) => [`${String(r["region_code"])}|${String(r["period"])}`, Number(r["records"])] as const),
  );

describe("stock derivations", () => {
  it("count the entities live at each year's end per county, city and province, as an independent SQL does", async () => {
    const want = await independent(file);
    const got = await derived();
    expect(got.size).toBe(want.size);
    for (const [cell, n] of want) expect(got.get(cell), cell).toBe(n);
    const [province] = (
      await rig.warehouse.connection.runAndReadAll(
        "SELECT value, records FROM derived_cell WHERE region_code = '330000' AND period = '2022'",
      )
    ).getRowObjects();
    expect(Number(province?.["value"])).toBeCloseTo(Number(province?.["records"]) * 0.0001, 10);
  });

  it("start at `from`: the year-ends before it are left out, the later ones are the same", async () => {
    const all = await derived();
    const from = await derived("test-live-2021");
    expect([...from.keys()].every((cell) => Number(cell.split("|")[1]) >= 2021)).toBe(true);
    expect(from).toEqual(new Map([...all].filter(([cell]) => Number(cell.split("|")[1]) >= 2021)));
  });

  it("revise every year-end from a back-dated cancellation on, as new vintages, and leave earlier years alone", async () => {
    const before = await derived();
    // Entity E0 cancelled on 2021-03-01, in a file published later.
    const e0 = lines[1]!.split(",");
    rig.spec.vintage = { published: "2025-06-01" };
    const late = ["entity_id,county_code,registered_on,cancelled_on", `E0,${e0[1]},${e0[2]},2021-03-01`];
    rig.drop("late.csv", `${late.join("\n")}\n`);
    await rig.ingest();
    const after = await derived();
    const corrected = [...lines];
    corrected[1] = late[1]!;
    const path = join(rig.dir, "corrected.csv");
    writeFileSync(path, `${corrected.join("\n")}\n`);
    const want = await independent(path);
    for (const [cell, n] of want) expect(after.get(cell), cell).toBe(n);
    const changed = [...after].filter(([cell, n]) => before.get(cell) !== n).map(([cell]) => cell);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((cell) => Number(cell.split("|")[1]) >= 2021)).toBe(true);
    const asOf = (
      await rig.warehouse.connection.runAndReadAll(
        `SELECT period, value FROM obs_as_of(TIMESTAMPTZ '2025-03-01 00:00:00+08') WHERE region_code = '330000' AND period = '2023'`,
      )
    ).getRowObjects();
    expect(Number(asOf[0]?.["value"])).toBeCloseTo((before.get("330000|2023") ?? 0) * 0.0001, 10);
  });
});
