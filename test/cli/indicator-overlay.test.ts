import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";

const FIXTURES = join(REPO, "test/fixtures/department-health");

function workspace(): { feeds: string; data: string } {
  const dir = mkdtempSync(join(tmpdir(), "gongfu-overlay-"));
  const feeds = join(dir, "feeds");
  mkdirSync(feeds);
  cpSync(join(FIXTURES, "health-annual.yaml"), join(feeds, "health-annual.yaml"));
  return { feeds, data: join(dir, "data") };
}

describe("an indicator overlay beside the feeds", { timeout: 180_000 }, () => {
  it("adds a department's supporting indicator to dim_indicator with its provenance, and loads its values", async () => {
    const ws = workspace();
    cpSync(join(FIXTURES, "indicators.csv"), join(ws.feeds, "indicators.csv"));
    mkdirSync(join(ws.data, "inbox", "health"), { recursive: true });
    cpSync(join(FIXTURES, "health-2021-2023.csv"), join(ws.data, "inbox", "health", "health.csv"));
    const run = await runCli(["run", "--data", ws.data, "--feeds", ws.feeds, "--indicator", "hospital_beds"]);
    expect(run.stderr).not.toMatch(/error/i);
    await withWarehouse(join(ws.data, "gongfu.duckdb"), async (q) => {
      expect(await q("SELECT kind, unit, seed_section, note FROM dim_indicator WHERE code = 'hospital_beds'")).toEqual([
        { kind: "supporting", unit: "张", seed_section: "overlay", note: expect.stringContaining("统计公报") },
      ]);
      expect(
        await q("SELECT value FROM fact_observation WHERE indicator_code = 'hospital_beds' AND region_code = '330000'"),
      ).toEqual(expect.arrayContaining([{ value: 356210 }, { value: 371508 }]));
      expect(await q("SELECT CAST(count(*) AS INTEGER) AS n FROM dim_indicator WHERE kind = 'target'")).toEqual([
        { n: 74 },
      ]);
    });
  });

  it("refuses an overlay that redefines one of the plan's indicators, at its line, as a configuration error", async () => {
    const ws = workspace();
    writeFileSync(
      join(ws.feeds, "indicators.csv"),
      "code,name_zh,name_en,dimension,unit,direction,frequency,source\n" +
        "life_expectancy,人均预期寿命,Life expectancy,D4,岁,higher,annual,卫健委\n",
    );
    const run = await runCli(["run", "--data", ws.data, "--feeds", ws.feeds]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/indicators\.csv:2 \(code\): life_expectancy is in the shipped catalog/);
  });

  it("refuses an overlay row whose unit is not in the unit registry", async () => {
    const ws = workspace();
    writeFileSync(
      join(ws.feeds, "indicators.csv"),
      "code,name_zh,name_en,dimension,unit,direction,frequency,source\n" +
        "ambulances,救护车数,Ambulances,D4,辆,higher,annual,卫健委\n",
    );
    const run = await runCli([
      "validate",
      join(FIXTURES, "health-2021-2023.csv"),
      "--feed",
      "health-annual",
      "--feeds",
      ws.feeds,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/indicators\.csv:2 \(unit\): unit 辆 is not a code of the unit registry/);
  });
});
