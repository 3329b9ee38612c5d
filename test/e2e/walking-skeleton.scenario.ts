import { cpSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";

/**
 * The walking skeleton, end to end through the real CLI: a GBK CSV from the statistics bureau with three
 * planted bad lines becomes warehouse rows, quarantined dead letters and a realisation table.
 */
export async function walkingSkeletonScenario(extraArgs: string[], env: Record<string, string> = {}): Promise<void> {
  const data = mkdtempSync(join(tmpdir(), "gongfu-e2e-"));
  const drop = join(data, "inbox", "stats-bureau");
  mkdirSync(drop, { recursive: true });
  cpSync(join(REPO, "test/fixtures/stats-bureau-income/income-with-bad-lines.csv"), join(drop, "income.csv"));
  // Only this feed's spec, so other feeds in the repo (HTTP ones among them) play no part.
  const feeds = join(data, "feeds");
  mkdirSync(feeds);
  cpSync(join(REPO, "feeds/stats-bureau-income.yaml"), join(feeds, "stats-bureau-income.yaml"));

  const result = await runCli(["run", "--data", data, "--feeds", feeds, ...extraArgs], { env });
  expect(result.stderr).not.toMatch(/gongfu: /);
  expect(result.code).toBe(0);
  // The printed table: province 2020 is 52,397 / 75,000 = 69.86% realised.
  expect(result.stdout).toMatch(/浙江省\s+330000\s+52,397 \(69\.9%\)/);

  await withWarehouse(join(data, "gongfu.duckdb"), async (query) => {
    const facts = await query(
      "SELECT CAST(count(*) AS INTEGER) AS n, CAST(count(DISTINCT region_code) AS INTEGER) AS " +
        "regions, min(period) AS first, max(period) AS last FROM fact_observation WHERE " +
        "indicator_code = 'disposable_income_per_capita'",
    );
    expect(facts[0]).toEqual({ n: 60, regions: 12, first: "2020", last: "2024" });

    const hangzhou = await query(
      "SELECT value, unit, source_line, source_feed, strftime(vintage AT TIME ZONE 'UTC', " +
        "'%Y-%m-%d') AS vintage FROM fact_observation WHERE region_code = '330100' AND period = '2023'",
    );
    expect(hangzhou).toEqual([
      { value: 75810, unit: "元", source_line: 40, source_feed: "stats-bureau-income", vintage: "2024-01-20" },
    ]);

    const dead = await query(
      "SELECT stage, source_position, reason_codes, reasons FROM quarantine ORDER BY source_position",
    );
    expect(dead.map((d) => [d["stage"], d["source_position"], d["reason_codes"]])).toEqual([
      ["transform", "line 63", "unknown_region"],
      ["transform", "line 64", "not_a_number"],
      ["ingest", "line 65", "field_count"],
    ]);
    // The unknown region names its closest match.
    expect(JSON.stringify(dead[0]!["reasons"])).toContain("330100");
  });

  // Realisation degrees, hand-computed against the 75,000-yuan target (positive indicator: min(x / target, 1)).
  const evaluated = await runCli(["evaluate", "--data", data, "--feeds", feeds, "--json"], { env });
  expect(evaluated.code).toBe(0);
  const rows = JSON.parse(evaluated.stdout) as { regionCode: string; period: string; realisation: number }[];
  const degree = (region: string, period: string) =>
    rows.find((r) => r.regionCode === region && r.period === period)?.realisation;
  expect(rows).toHaveLength(60);
  expect(degree("330000", "2020")).toBeCloseTo(52397 / 75000, 10); // 0.698627
  expect(degree("330000", "2024")).toBeCloseTo(67013 / 75000, 10); // 0.893507
  expect(degree("331100", "2020")).toBeCloseTo(38620 / 75000, 10); // 0.514933 (丽水)
  expect(degree("330100", "2023")).toBe(1); // 75,810 >= 75,000 is capped at 1 (杭州)
}
