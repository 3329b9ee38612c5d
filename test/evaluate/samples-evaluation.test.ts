import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";

// The bundled sample feeds through the real pipeline, evaluated as an analyst would (issue 17).
let data: string;
const cli = (...args: string[]) => runCli([...args, "--data", data, "--feeds", join(REPO, "feeds")]);

interface Dim {
  score: number | null;
  scored: boolean;
  reason: string | null;
  rawScore: number | null;
}
interface RegionJson {
  code: string;
  score: number | null;
  rank: number | null;
  rankNote: string | null;
  dimensionsExcluded: string[];
  dimensions: Record<string, Dim>;
}

async function evaluate(...args: string[]): Promise<{ runId: string; status: string; regionsScored: RegionJson[] }> {
  const out = await cli("evaluate", ...args, "--json", "--draws", "50");
  expect(out.code, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as { runId: string; status: string; regionsScored: RegionJson[] };
}

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), "gongfu-eval-samples-"));
  const run = await cli("run", "--samples");
  expect(run.code, run.stderr).toBe(0);
}, 180_000);

describe("the coverage rule on the sample data (the Hangzhou case of docs/METHOD.md §3.3)", () => {
  it("does not let Hangzhou's one-indicator D7 decide its rank in 2025", async () => {
    const r = await evaluate("--period", "2025");
    const hz = r.regionsScored.find((x) => x.code === "330100")!;
    // D7: only work_safety_death_rate (a trend indicator scored 0) of five equal-weight indicators: 20% < 50%.
    expect(hz.dimensions["D7"]).toMatchObject({ scored: false, score: null, reason: "below_coverage", rawScore: 0 });
    expect(hz.dimensionsExcluded).toEqual(["D7"]);
    const cities = r.regionsScored.filter((x) => x.code.endsWith("00") && x.code !== "330000");
    expect(cities).toHaveLength(11);
    expect(hz.rank).not.toBe(11);
    expect(hz.score).toBeGreaterThan(0.9);
    // Every city is ranked on the same dimensions, so every rank is there.
    expect(cities.every((c) => c.rank !== null && c.rankNote === null)).toBe(true);
  });

  it("does not drop Ningbo to last in 2025-09 for a thin dimension", async () => {
    const r = await evaluate("--period", "2025-09");
    const cities = r.regionsScored.filter((x) => x.code.endsWith("00") && x.code !== "330000");
    const nb = cities.find((x) => x.code === "330200")!;
    expect(nb.rank).not.toBe(cities.length);
    for (const c of cities) for (const d of Object.values(c.dimensions)) if (d.scored) expect(d.score).not.toBeNull();
  });

  it("shows the exclusion in explain and in the report", async () => {
    await evaluate("--period", "2025");
    const out = await cli("explain", "--region", "330100", "--period", "2025", "--draws", "50");
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/composite 综合得分 \d+\.\d% over 4 of 7 dimensions \(D2,D3,D4,D6\)/);
    expect(out.stdout).toMatch(/left out for low coverage 覆盖率不足未计入: D7/);
    expect(out.stdout).toMatch(
      /D7 .*not scored 未计分: coverage 覆盖率 1\/5, 20% of the weight, below the 50% threshold/,
    );
    const file = join(data, "report-2025.html");
    const report = await cli("report", "--period", "2025", "--draws", "50", "--out", file);
    expect(report.code, report.stderr).toBe(0);
    const { readFileSync } = await import("node:fs");
    const html = readFileSync(file, "utf8");
    expect(html).toMatch(/left out for low coverage 覆盖率不足未计入/);
    expect(html).toMatch(/杭州市[^\n]*D7/);
  });
});

describe("report and explain show the run that matches the settings (issue 17, item 2)", () => {
  it("picks the default run after default, entropy, progress and default again, and names it at the top", async () => {
    const def = await evaluate("--period", "2025");
    const entropy = await evaluate("--period", "2025", "--weights", "entropy");
    const progress = await evaluate("--period", "2025", "--method", "progress");
    const again = await evaluate("--period", "2025");
    expect(again).toMatchObject({ runId: def.runId, status: "unchanged" });
    expect(new Set([def.runId, entropy.runId, progress.runId]).size).toBe(3);

    const file = join(data, "report-default.html");
    const report = await cli("report", "--period", "2025", "--draws", "50", "--out", file);
    expect(report.code, report.stderr).toBe(0);
    const { readFileSync } = await import("node:fs");
    const html = readFileSync(file, "utf8");
    const header = html.slice(html.indexOf("<header>"), html.indexOf("</header>"));
    expect(header).toContain(def.runId);
    expect(header).toMatch(/method ratio · weights equal · aggregation arithmetic/);
    expect(html).not.toContain(progress.runId);

    const explain = await cli("explain", "--region", "330100", "--period", "2025", "--draws", "50");
    expect(explain.stdout.split("\n")[0]).toContain(`run 评价运行 ${def.runId}`);
    expect(explain.stdout.split("\n")[1]).toMatch(/^settings 设置: method ratio · weights equal/);

    const byFlag = await cli(
      "explain",
      "--region",
      "330100",
      "--period",
      "2025",
      "--draws",
      "50",
      "--method",
      "progress",
    );
    expect(byFlag.stdout.split("\n")[0]).toContain(progress.runId);
    const byId = await cli("explain", "--region", "330100", "--run", entropy.runId);
    expect(byId.stdout.split("\n")[0]).toMatch(new RegExp(`${entropy.runId} .*chosen by --run`));
    expect(byId.stdout.split("\n")[1]).toMatch(/weights entropy/);
  });

  it("says which runs exist when none matches the settings", async () => {
    const out = await cli("report", "--period", "2025", "--aggregation", "geometric", "--out", join(data, "x.html"));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/no successful run for period 2025 made with the settings given/);
    expect(out.stderr).toMatch(/successful runs of 2025:/);
  });
});

describe("numbers as people read them (issue 17, item 3)", () => {
  it("prints the realisation table at the indicator's precision: an urban-rural ratio of 1.84 stays 1.84", async () => {
    const out = await cli("evaluate", "--indicator", "urban_rural_income_ratio");
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/target <= 1\.9 比值/);
    const province = out.stdout.split("\n").find((l) => l.startsWith("浙江省"))!;
    expect(province).toContain("1.84 (100.0%)");
    expect(province).not.toMatch(/ 2 \(100\.0%\)/);
  });

  it("prints values in explain with their units", async () => {
    await evaluate("--period", "2025");
    const out = await cli("explain", "--region", "330100", "--period", "2025", "--draws", "50");
    expect(out.stdout).toMatch(/urbanization_rate 常住人口城镇化率: 86\.4% \(2025\) · target >= 75% /);
    expect(out.stdout).toMatch(/disposable_income_per_capita 2025 = 82,813 元 · vintage/);
  });
});
