import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";
import { SAMPLE_FEEDS } from "./sample-feeds.ts";

const data = mkdtempSync(join(tmpdir(), "gongfu-samples-run-"));
afterAll(() => rmSync(data, { recursive: true, force: true }));
let runOutput = "";

/** The derived sample cells a newcomer can explain: indicator, region, period, derivation, record feed. */
const DERIVED = [
  ["households_100k_500k_share", "330000", "2021", "households-100k-500k-share", "household-survey"],
  ["market_entities", "330000", "2025", "market-entities-live", "market-registry"],
  ["market_entities", "330102", "2019", "market-entities-live", "market-registry"],
  ["pm25_concentration", "330100", "2024", "pm25-concentration", "air-stations"],
  ["good_air_days_share", "330000", "2024", "good-air-days-share", "air-stations"],
] as const;

describe("gongfu run --samples (embedded)", () => {
  it("loads all six departments' sample feeds, the HTTP one from the demo server, with zero dead letters", async () => {
    const result = await runCli(["run", "--samples", "--data", data], { env: { KAFKA_BROKERS: "" } });
    runOutput = result.stdout;
    expect(result.stderr).not.toMatch(/gongfu: /);
    expect(result.code).toBe(0);
    await withWarehouse(join(data, "gongfu.duckdb"), async (query) => {
      const dead = await query("SELECT stage, feed, source_uri, source_position, reason_codes FROM quarantine");
      expect(dead).toEqual([]);
      const feeds = await query(
        "SELECT source_feed AS feed, CAST(count(*) AS INTEGER) AS n, CAST(count(DISTINCT " +
          "indicator_code) AS INTEGER) AS indicators FROM fact_observation GROUP BY 1",
      );
      const byFeed = new Map(feeds.map((f) => [f["feed"], f]));
      for (const id of Object.keys(SAMPLE_FEEDS)) {
        expect(byFeed.get(id)?.["n"], id).toBeGreaterThan(400);
        expect(byFeed.get(id)?.["indicators"], id).toBeGreaterThanOrEqual(6);
      }
      // Counted and converted as the departments wrote them: 套 → 万套, 万元/人 → 元/人, "23.5%" → 23.5.
      const converted = await query(
        "SELECT indicator_code AS code, value FROM fact_observation WHERE region_code = '330000' " +
          "AND period = '2025' AND indicator_code IN ('affordable_rental_units', " +
          "'agri_labor_productivity', 'housing_security_coverage') ORDER BY 1",
      );
      expect(converted).toEqual([
        { code: "affordable_rental_units", value: 24.6 },
        { code: "agri_labor_productivity", value: 56800 },
        { code: "housing_security_coverage", value: 23.4 },
      ]);
      const counties = await query(
        "SELECT CAST(count(DISTINCT region_code) AS INTEGER) AS n FROM fact_observation f JOIN " +
          "dim_region r ON r.code = f.region_code WHERE r.level = 'county' AND indicator_code = " +
          "'disposable_income_per_capita_rural'",
      );
      expect(counties[0]?.["n"]).toBe(90);
    });
  });

  it("prints the indicators derived from records, and explain --derivation shows each one's chain", async () => {
    for (const code of ["market_entities", "pm25_concentration", "good_air_days_share"])
      expect(runOutput).toMatch(new RegExp(`${code} 20\\d\\d: [\\d.,]+ \\S+ from [\\d,]+ records`));
    for (const [indicator, region, period, derivation, feed] of DERIVED) {
      const args = ["--indicator", indicator, "--region", region, "--period", period];
      const out = await runCli(["explain", "--derivation", ...args, "--data", data]);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toContain(`derivation:${derivation} snapshot`);
      expect(out.stdout).toContain(`derivation ${derivation} (feeds/derivations/): records of ${feed}`);
      expect(out.stdout).toMatch(/cell: [\d.,]+ \S+ from [\d,]+ records/);
      expect(out.stdout).toMatch(/sample record keys: \S/);
      // Keys of personal records are pseudonyms; a station is no person, so its key is shown as it is.
      if (feed !== "air-stations") expect(out.stdout).toMatch(/sample record keys: p_[0-9a-f]{32}/);
    }
  });
});
