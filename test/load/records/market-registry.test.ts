import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../runtime/logger.ts";
import { defaultCatalog, topicNames, type DeadLetter } from "../../../schemas/index.ts";
import { REPO } from "../../helpers/cli.ts";
import { recordRig, type RecordRig } from "./record-scenario.ts";

// The shipped market-entity registry feed and its derivation (feeds/records/market-registry.yaml,
// feeds/derivations/market-entities-live.yaml) on the shipped sample registry, checked against an independent DuckDB
// computation over the file itself: each entity's final state taken by GROUP BY (not the loader's latest-version
// window), the live count at each year-end counted per county, city and province with the catalog's own parents.
const SPEC = readFileSync(join(REPO, "feeds/records/market-registry.yaml"), "utf8");
const LIVE = readFileSync(join(REPO, "feeds/derivations/market-entities-live.yaml"), "utf8");
const SAMPLE = join(REPO, "samples/feeds/market-registry/zj-market-registry-2019-2025.csv");
const HEADER = "entity_id,legal_rep_id_card,county_code,entity_type,event_kind,event_date,registered_on,cancelled_on";
const BAD = [
  "title",
  HEADER,
  "91330102000099AAAA1,330102198001010011,330102,企业,设立,2021-02-30,2021-02-30,", // no 30 February
  "92339999000099AAAA2,330102198001010022,339999,个体工商户,设立,2021-03-01,2021-03-01,", // no county 339999
  "91330102000099AAAA3,330102198001010033,330102,企业,设立,2021-03-01,2021-03-01,",
];

let rig: RecordRig;
const dead: DeadLetter[] = [];
beforeAll(async () => {
  rig = await recordRig([LIVE], createLogger({ level: "silent" }), SPEC);
  const publish = rig.bus.publish.bind(rig.bus);
  rig.bus.publish = async (topic, records) => {
    if (topic === topicNames("test").dlqIngest) dead.push(...records.map((r) => r.value as DeadLetter));
    await publish(topic, records);
  };
  rig.drop("zj-market-registry-2019-2025.csv", readFileSync(SAMPLE, "utf8"));
  await rig.ingest();
}, 60_000);
afterAll(() => rig.close());

/** County → cell (itself, its city, the province), from the catalog. */
function placesSql(): string {
  const catalog = defaultCatalog();
  const rows = catalog.regions
    .filter((r) => r.level === "county")
    .flatMap((r) => [`('${r.code}', '${r.code}')`, `('${r.code}', '${r.parentCode}')`, `('${r.code}', '330000')`]);
  return `(VALUES ${rows.join(", ")}) AS p(county, cell)`;
}

async function independent(file: string): Promise<Map<string, number>> {
  const instance = await DuckDBInstance.create(":memory:");
  const c = await instance.connect();
  try {
    const rows = (
      await c.runAndReadAll(`
WITH e AS (SELECT * FROM read_csv('${file}', skip = 1, header = true, all_varchar = true)),
entity AS (SELECT entity_id, any_value(county_code) AS county, min(CAST(registered_on AS DATE)) AS born,
                  max(CAST(nullif(cancelled_on, '') AS DATE)) AS died
           FROM e GROUP BY entity_id)
SELECT p.cell, CAST(y.y AS VARCHAR) AS period, count(*) AS n
FROM entity JOIN ${placesSql()} ON p.county = entity.county CROSS JOIN range(2018, 2026) y(y)
WHERE born <= make_date(y.y, 12, 31) AND (died IS NULL OR died > make_date(y.y, 12, 31))
GROUP BY ALL`)
    ).getRowObjects();
    return new Map(rows.map((r) => [`${String(r["cell"])}|${String(r["period"])}`, Number(r["n"])]));
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

describe("the market-entity registry feed (市场主体登记)", () => {
  it("derives market_entities as the live count at each year-end 2018-2025, as an independent SQL does", async () => {
    const want = await independent(SAMPLE);
    const got = (
      await rig.warehouse.connection.runAndReadAll(
        "SELECT region_code, period, value, records, suppressed FROM derived_cell WHERE derivation = 'market-entities-live'",
      )
    ).getRowObjects();
    expect(got.length).toBe(want.size);
    expect(want.size).toBe(8 * (90 + 11 + 1));
    for (const row of got) {
      const cell = `${String(row["region_code"])}|${String(row["period"])}`;
      const n = want.get(cell);
      expect(Number(row["records"]), cell).toBe(n);
      if (n! < 10) {
        expect(row["suppressed"], cell).toBe(true);
        expect(row["value"], cell).toBeNull();
      } else expect(Number(row["value"]), cell).toBeCloseTo(n! * 0.2, 9); // 1 record : 2,000 entities, in 万户
    }
    // k = 10 is meaningful at 1:2,000: some small counties are suppressed, no city is.
    const suppressed = got.filter((r) => r["suppressed"]).map((r) => String(r["region_code"]));
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed.every((code) => !code.endsWith("00"))).toBe(true);
  });

  it("lands near the statistics bureau sample's market entities (the published order, 万户)", async () => {
    const rows = (
      await rig.warehouse.connection.runAndReadAll(
        "SELECT period, value FROM derived_cell WHERE derivation = 'market-entities-live' AND region_code = '330000'",
      )
    ).getRowObjects();
    const province = new Map(rows.map((r) => [String(r["period"]), Number(r["value"])]));
    const bureau: Record<string, number> = {
      2020: 803.2,
      2021: 868.5,
      2022: 936.7,
      2023: 1003.4,
      2024: 1052.9,
      2025: 1097.6,
    };
    for (const [year, value] of Object.entries(bureau))
      expect(Math.abs(province.get(year)! / value - 1), year).toBeLessThan(0.01);
  });

  it("refuses a bad date and an unknown county as dead letters naming file, line, field and reason, identifiers redacted", async () => {
    dead.length = 0;
    rig.drop("bad.csv", `${BAD.join("\n")}\n`);
    const [stats] = await rig.ingest();
    expect(stats).toMatchObject({ records: 1, rejected: 2 });
    const seen = dead.map((d) => ({
      uri: d.source.uri,
      line: d.source.position.line,
      reasons: d.reasons.map((r) => [r.path, r.code]),
    }));
    expect(seen).toEqual([
      {
        uri: expect.stringMatching(/bad\.csv$/),
        line: 3,
        reasons: [
          ["event_date", "bad_date"],
          ["registered_on", "bad_date"],
        ],
      },
      { uri: "bad.csv", line: 4, reasons: [["county_code", "unknown_region"]] },
    ]);
    const text = JSON.stringify(dead);
    for (const id of ["91330102000099AAAA1", "330102198001010011", "92339999000099AAAA2", "330102198001010022"])
      expect(text).not.toContain(id);
    expect(dead[0]?.payload).toMatchObject({
      entity_id: "[redacted]",
      legal_rep_id_card: "[redacted]",
      county_code: "330102",
    });
  });

  it("keeps the legal representative's ID-card number out of the record table, and the credit code only as a pseudonym", async () => {
    const columns = (await rig.warehouse.connection.runAndReadAll("DESCRIBE rec_market_registry"))
      .getRows()
      .map(([n]) => n);
    expect(columns).not.toContain("legal_rep_id_card");
    const [[clear]] = (
      await rig.warehouse.connection.runAndReadAll(
        "SELECT count(*) FROM rec_market_registry WHERE NOT regexp_full_match(entity_id, 'p_[0-9a-f]{32}')",
      )
    ).getRows() as [[bigint]];
    expect(Number(clear)).toBe(0);
  });
});
