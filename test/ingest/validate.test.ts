import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import { incomeSheet, workbook } from "./helpers/workbooks.ts";

const XLSX_SPEC = `id: edu-test
name: test
department: { code: edu, name: 教育厅 }
connector: { kind: file-drop, path: edu }
format: { kind: xlsx, skipRows: 1, headerRows: 2, sheetColumn: 年份 }
layout:
  kind: wide
  region: 地区
  period: 年份
  columns:
    城镇/人均可支配收入: { indicator: disposable_income_per_capita_urban }
frequency: annual
`;

function workspace(): { dir: string; feeds: string } {
  const dir = mkdtempSync(join(tmpdir(), "gongfu-validate-"));
  const feeds = join(dir, "feeds");
  cpSync(join(REPO, "feeds", "stats-bureau-income.yaml"), join(feeds, "stats-bureau-income.yaml"));
  writeFileSync(join(feeds, "edu-test.yaml"), XLSX_SPEC);
  return { dir, feeds };
}

describe("gongfu validate", () => {
  it("exits 0 and says so when every row of the file is clean", async () => {
    const { feeds } = workspace();
    const file = join(REPO, "samples/feeds/stats-bureau/zj-income-2020-2024.csv");
    const r = await runCli(["validate", file, "--feed", "stats-bureau-income", "--feeds", feeds]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/60 rows ok, 0 rows with problems/);
  });

  it("prints every problem with its line and reason, a summary, and exits 1", async () => {
    const { dir, feeds } = workspace();
    const file = join(dir, "收入.csv");
    const lines = [
      "浙江省居民人均可支配收入（样例）",
      "地区,年份,居民人均可支配收入(元),发布日期",
      "杭州市,2024年,79323,2025-01-20",
      "杭洲市,2024年,1,2025-01-20",
      "宁波市,2024年13月,1,2025-01-20",
      "温州市,2024年",
      "嘉兴市,2024年,70027,2025-01-20",
    ];
    writeFileSync(file, iconv.encode(`${lines.join("\n")}\n`, "gbk"));
    const r = await runCli(["validate", file, "--feed", "stats-bureau-income", "--feeds", feeds]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}: line 4: unknown_region: unknown region "杭洲市"`);
    expect(r.stdout).toMatch(/line 5: bad_period: month 13 is out of range/);
    expect(r.stdout).toMatch(/line 6: field_count: expected 4 fields as in the header, found 2/);
    expect(r.stdout).toMatch(/2 rows ok, 3 rows with problems/);
  });

  it("names the sheet and row of a workbook's problems", async () => {
    const { dir, feeds } = workspace();
    const file = join(dir, "edu.xlsx");
    writeFileSync(
      file,
      await workbook([
        incomeSheet("2024", [["杭州市", 1, 2, 3, 4]]),
        incomeSheet("二〇二四", [["宁波市", 1, 2, 3, 4]]),
        { name: "说明", rows: [["x"]] },
      ]),
    );
    const r = await runCli(["validate", file, "--feed", "edu-test", "--feeds", feeds]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/sheet 二〇二四 row 4: bad_period/);
    expect(r.stdout).toMatch(/sheet 说明 row 3: header_mismatch/);
    expect(r.stdout).toMatch(/1 rows ok, 2 rows with problems/);
  });

  it("is a usage error for an unknown feed", async () => {
    const { feeds } = workspace();
    const r = await runCli(["validate", join(REPO, "README.md"), "--feed", "no-such-feed", "--feeds", feeds]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no feed spec with id no-such-feed/);
  });
});

describe("gongfu validate checks units as transform does", () => {
  it("reports a column unit that is unknown or cannot convert to the indicator's unit", async () => {
    const { feeds, dir } = workspace();
    writeFileSync(
      join(feeds, "units-test.yaml"),
      `id: units-test
name: test
department: { code: d, name: 部门 }
connector: { kind: file-drop, path: u }
format: { kind: csv }
layout:
  kind: wide
  region: 地区
  period: 年份
  columns:
    收入: { indicator: disposable_income_per_capita, unit: 万人 }
    寿命: { indicator: life_expectancy, unit: 光年 }
frequency: annual
`,
    );
    writeFileSync(join(dir, "u.csv"), "地区,年份,收入,寿命\n杭州市,2024,7,80\n");
    const r = await runCli(["validate", join(dir, "u.csv"), "--feed", "units-test", "--feeds", feeds]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/unit_mismatch: .*收入/);
    expect(r.stdout).toMatch(/unknown_unit: .*光年/);
  });
});
