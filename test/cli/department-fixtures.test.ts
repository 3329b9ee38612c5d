import { cpSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";

const FIXTURES = join(REPO, "test/fixtures/department-health");

describe("a department's files, added with YAML alone", { timeout: 240_000 }, () => {
  it("loads all 94 reported cells of three files in GBK and UTF-8, dead-letters nothing, each at its vintage", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gongfu-department-"));
    const feeds = join(dir, "feeds");
    const data = join(dir, "data");
    const inbox = join(data, "inbox", "health");
    mkdirSync(feeds);
    mkdirSync(inbox, { recursive: true });
    cpSync(join(FIXTURES, "health-annual.yaml"), join(feeds, "health-annual.yaml"));
    cpSync(join(FIXTURES, "indicators.csv"), join(feeds, "indicators.csv"));
    const files = readdirSync(FIXTURES).filter((f) => f.startsWith("health-") && f.endsWith(".csv"));
    expect(files).toHaveLength(3);
    for (const f of files) {
      const check = await runCli(["validate", join(FIXTURES, f), "--feed", "health-annual", "--feeds", feeds]);
      expect(check.code, check.stdout).toBe(0);
      cpSync(join(FIXTURES, f), join(inbox, f));
    }
    const run = await runCli(["run", "--data", data, "--feeds", feeds, "--indicator", "life_expectancy"]);
    expect(run.code, run.stderr).toBe(0);
    await withWarehouse(join(data, "gongfu.duckdb"), async (q) => {
      expect(await q("SELECT CAST(count(*) AS INTEGER) AS n FROM quarantine")).toEqual([{ n: 0 }]);
      expect(
        await q(
          "SELECT source_uri AS f, strftime(vintage, '%Y-%m-%d') AS v, CAST(count(*) AS INTEGER) AS " +
            "n FROM fact_observation GROUP BY 1, 2 ORDER BY 1",
        ),
      ).toEqual([
        { f: "health-2021-2023.csv", v: "2024-03-30", n: 56 },
        { f: "health-2024_2025-06-30.csv", v: "2025-06-29", n: 19 },
        { f: "health-2025_2026-02-27.csv", v: "2026-02-26", n: 19 },
      ]);
      expect(
        await q(
          "SELECT value FROM fact_observation WHERE region_code = '330000' AND period = '2021' AND " +
            "indicator_code IN ('life_expectancy', 'hospital_beds') ORDER BY value",
        ),
      ).toEqual([{ value: 82.12 }, { value: 356210 }]);
    });
  });
});
