import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import { tagProblems } from "./html-structure.ts";

// The statistics bureau fixture through the real pipeline, then the evaluation commands as a user runs them.
let data: string;
const cli = (...args: string[]) => runCli([...args, "--data", data, "--feeds", join(REPO, "feeds")]);

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), "gongfu-eval-cli-"));
  mkdirSync(join(data, "inbox", "stats-bureau"), { recursive: true });
  cpSync(
    join(REPO, "test/fixtures/stats-bureau-income/income-with-bad-lines.csv"),
    join(data, "inbox", "stats-bureau", "income.csv"),
  );
  const run = await cli("run");
  expect(run.code, run.stderr).toBe(0);
}, 180_000);

describe("gongfu evaluate, explain, report and schedule on the pipeline's warehouse", () => {
  it("evaluates a year once, derives the city max/min ratio, and does not recompute the same run", async () => {
    // Threshold 0: the fixture has income alone, and this checks the arithmetic of a composite, not the coverage rule.
    const first = await cli("evaluate", "--period", "2024", "--json", "--draws", "100", "--coverage-threshold", "0");
    expect(first.code, first.stderr).toBe(0);
    const r = JSON.parse(first.stdout) as {
      runId: string;
      status: string;
      asOf: string;
      derived: { indicator: string }[];
      regionsScored: { code: string; score: number }[];
    };
    expect(r).toMatchObject({ status: "succeeded", asOf: "2025-01-20T00:00:00.000Z" });
    expect(r.derived.map((d) => d.indicator)).toEqual(["city_income_max_min_ratio"]);
    // Province: income 67,013 / 75,000 and the cities' 79,323 / 50,803 against <= 1.55, equal weights in D3.
    const province = r.regionsScored.find((x) => x.code === "330000")!;
    expect(province.score).toBeCloseTo((67013 / 75000 + 1.55 / (79323 / 50803)) / 2, 10);

    const again = await cli("evaluate", "--period", "2024", "--json", "--draws", "100", "--coverage-threshold", "0");
    expect(JSON.parse(again.stdout)).toMatchObject({ runId: r.runId, status: "unchanged" });
    const text = await cli("evaluate", "--period", "2024", "--draws", "100", "--coverage-threshold", "0");
    expect(text.stdout).toMatch(/unchanged \(already evaluated; --force recomputes\)/);
    expect(text.stdout).toMatch(/cities max_min_ratio = 1\.5614 \(target ≤ 1\.55: not met 未达标\)/);
  });

  it("explains a city's score down to the line of the source file", async () => {
    await cli("evaluate", "--period", "2024", "--draws", "100");
    const out = await cli(
      "explain",
      "--region",
      "330100",
      "--period",
      "2024",
      "--draws",
      "100",
      "--indicator",
      "disposable_income_per_capita",
    );
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/79,323 元 \(2024\) · target >= 75,000 元 · realisation 实现度 100\.0%/);
    expect(out.stdout).toMatch(
      /value +330100 disposable_income_per_capita 2024 = 79,323 元 · vintage 2025-01-20T00:00:00Z · income\.csv line 52/,
    );
    expect(out.stdout).toMatch(/baseline 330100 disposable_income_per_capita 2020 = 62,859 .*income\.csv line 4/);
  });

  it("writes a self-contained HTML report", async () => {
    await cli("evaluate", "--period", "2024", "--draws", "100");
    const file = join(data, "report.html");
    const out = await cli("report", "--period", "2024", "--draws", "100", "--out", file);
    expect(out.code, out.stderr).toBe(0);
    expect(existsSync(file)).toBe(true);
    const html = readFileSync(file, "utf8");
    expect(tagProblems(html)).toEqual([]);
    expect(html).toContain('<section id="ranking">');
    expect(html).toContain("居民人均可支配收入");
  });

  it("catches up the months missed before --now, and finds nothing left the second time", async () => {
    const args = ["schedule", "--catch-up-only", "--since", "2024-11", "--now", "2025-02-15T00:00:00+08:00", "--json"];
    const first = await cli(...args);
    expect(first.code, first.stderr).toBe(0);
    const outcomes = JSON.parse(first.stdout) as { period: string; status: string; asOf: string }[];
    expect(outcomes.map((o) => [o.period, o.status, o.asOf])).toEqual([
      ["2024-11", "succeeded", "2024-11-30T18:00:00.000Z"],
      ["2024-12", "succeeded", "2024-12-31T18:00:00.000Z"],
      ["2025-01", "succeeded", "2025-01-31T18:00:00.000Z"],
    ]);
    const second = JSON.parse((await cli(...args)).stdout) as { status: string }[];
    expect(second.map((o) => o.status)).toEqual(["skipped", "skipped", "skipped"]);
  });

  it("refuses a malformed period or setting with exit code 2", async () => {
    const bad = await cli("evaluate", "--period", "2024-13");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--period: month 13 is out of range/);
    const method = await cli("evaluate", "--period", "2024", "--method", "median");
    expect(method.code).toBe(2);
    expect(method.stderr).toMatch(/--method must be one of ratio, progress/);
  });
});
