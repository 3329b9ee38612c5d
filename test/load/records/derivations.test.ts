import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { defaultCatalog } from "../../../schemas/index.ts";
import { csv, households, recordRig, type RecordRig } from "./record-scenario.ts";

// Each derivation below is checked against an independent computation: DuckDB SQL written here, over the CSV file
// itself (not the record table), with its own county → city → province mapping and its own formulas (the Gini as a
// mean absolute difference rather than by ranks).
const MEASURES: Record<string, string> = {
  count: "{ kind: count }",
  share: "{ kind: share_in_band, column: income, min: 100000, max: 500000 }",
  mean: "{ kind: mean, column: income }",
  median: "{ kind: median, column: income }",
  p90: "{ kind: quantile, column: income, q: 0.9 }",
  total: "{ kind: sum, column: income }",
  sizes: "{ kind: distinct_count, column: members }",
  gini: "{ kind: gini, column: income }",
};
const INDEPENDENT: Record<string, string> = {
  count: "count(*)",
  share: "100.0 * avg(CASE WHEN income IS NULL THEN NULL WHEN income >= 100000 AND income < 500000 THEN 1 ELSE 0 END)",
  mean: "avg(income)",
  median: "quantile_cont(income, 0.5)",
  p90: "quantile_cont(income, 0.9)",
  total: "sum(income)",
  sizes: "count(DISTINCT members)",
  gini: "NULL",
};

const derivationYaml = (name: string) => `
id: test-${name}
indicator: households_100k_500k_share
records: test-households
measure: ${MEASURES[name]}
`;

let rig: RecordRig;
let file: string;
beforeAll(async () => {
  rig = await recordRig(Object.keys(MEASURES).map(derivationYaml));
  const text = csv(households());
  rig.drop("households-2023-2024.csv", text);
  // The dropped file is archived once read: the independent computation reads its own copy.
  file = join(rig.dir, "copy.csv");
  writeFileSync(file, text);
  await rig.ingest();
});
afterAll(() => rig.close());

/** Region of each county and its ancestors, from the catalog (not from dim_region). */
function placesSql(): string {
  const catalog = defaultCatalog();
  const rows: string[] = [];
  for (const county of ["330102", "330105", "330212", "330281"]) {
    const city = catalog.region(county)?.parentCode;
    rows.push(`('${county}', '${county}'), ('${county}', '${city}'), ('${county}', '330000')`);
  }
  return `(VALUES ${rows.join(", ")}) AS p(county, cell)`;
}

async function independent(measure: string): Promise<Map<string, { value: number; n: number }>> {
  const instance = await DuckDBInstance.create(":memory:");
  const c = await instance.connect();
  try {
    const source = `(SELECT county_code AS county, CAST(survey_year AS VARCHAR) AS period, CAST(income AS DOUBLE) AS income, members
      FROM read_csv('${file.replaceAll("'", "''")}', all_varchar = true))`;
    const sql =
      measure === "gini"
        ? `WITH r AS (SELECT p.cell, s.period, s.income FROM ${source} s JOIN ${placesSql()} ON p.county = s.county
             WHERE s.income IS NOT NULL)
           SELECT a.cell, a.period, sum(abs(a.income - b.income)) / (2.0 * count(*) * avg(a.income)) AS value,
                  sqrt(count(*)) AS n
           FROM r a JOIN r b ON a.cell = b.cell AND a.period = b.period GROUP BY ALL`
        : `SELECT p.cell, s.period, ${INDEPENDENT[measure]} AS value,
                  ${measure === "count" ? "count(*)" : measure === "sizes" ? "count(members)" : "count(income)"} AS n
           FROM ${source} s JOIN ${placesSql()} ON p.county = s.county GROUP BY ALL`;
    const rows = (await c.runAndReadAll(sql)).getRowObjects();
    return new Map(
      rows.map((r) => [
        `${String(r["cell"])}|${String(r["period"])}`,
        { value: Number(r["value"]), n: Math.round(Number(r["n"])) },
      ]),
    );
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

async function derived(id: string) {
  const rows = (
    await rig.warehouse.connection.runAndReadAll(
      `SELECT region_code, period, value, records, suppressed FROM derived_cell WHERE derivation = 'test-${id}'`,
    )
  ).getRowObjects();
  return new Map(rows.map((r) => [`${String(r["region_code"])}|${String(r["period"])}`, r]));
}

describe("derived indicators", () => {
  for (const measure of Object.keys(MEASURES))
    it(`computes ${measure} per county, city and province as an independent SQL over the file does`, async () => {
      const expected = await independent(measure);
      const got = await derived(measure);
      // 4 counties + 2 cities + the province, for each of 2 years
      expect(got.size).toBe(14);
      for (const [cell, want] of expected) {
        const row = got.get(cell);
        expect(row, cell).toBeDefined();
        expect(Number(row?.["records"]), cell).toBe(want.n);
        if (want.n < 10) {
          expect(row?.["suppressed"], cell).toBe(true);
          expect(row?.["value"], cell).toBeNull();
        } else {
          expect(row?.["suppressed"], cell).toBe(false);
          expect(Number(row?.["value"])).toBeCloseTo(want.value, 6);
        }
      }
    });

  it("writes unsuppressed cells as observations naming the derivation and the snapshot, suppressed ones not at all", async () => {
    const rows = (
      await rig.warehouse.connection.runAndReadAll(
        `SELECT region_code, source_feed, source_uri, source_position FROM fact_observation WHERE source_uri = 'derivation:test-count'`,
      )
    ).getRowObjects();
    expect(rows).toHaveLength(12);
    expect(rows.some((r) => r["region_code"] === "330281")).toBe(false);
    expect(rows.every((r) => r["source_feed"] === "test-households")).toBe(true);
    expect(rows.find((r) => r["region_code"] === "330000")?.["source_position"]).toMatch(/^snapshot 1, \d+ records$/);
  });
});
