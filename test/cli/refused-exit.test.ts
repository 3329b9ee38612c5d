import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";

const FIXTURES = join(REPO, "test/fixtures/department-health");

describe("a file refused whole fails the command", { timeout: 240_000 }, () => {
  it("run exits 1 naming the feed, still loads the good file, and status shows the file as refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gongfu-refused-"));
    const feeds = join(dir, "feeds");
    const data = join(dir, "data");
    mkdirSync(feeds);
    cpSync(join(FIXTURES, "health-annual.yaml"), join(feeds, "health-annual.yaml"));
    cpSync(join(FIXTURES, "indicators.csv"), join(feeds, "indicators.csv"));
    const inbox = join(data, "inbox", "health");
    mkdirSync(inbox, { recursive: true });
    cpSync(join(FIXTURES, "health-2021-2023.csv"), join(inbox, "a-good.csv"));
    // The clerk renamed a column: the file cannot be read as the spec says, so none of it is.
    writeFileSync(
      join(inbox, "b-renamed.csv"),
      iconv.encode(
        "标题\n地区,年份,人均预期寿命（岁）,县域就诊率,重点人群家庭医生签约覆盖率（%）,医疗卫生机构床位数（张）\n杭州,2024年,84.2,90%,82%,1\n",
        "gbk",
      ),
    );
    const run = await runCli(["run", "--data", data, "--feeds", feeds, "--indicator", "life_expectancy"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/gongfu: 1 source\(s\) refused whole \(health-annual: 1\)/);
    expect(run.stdout).toContain("人均预期寿命"); // the table of what did load is still printed
    await withWarehouse(join(data, "gongfu.duckdb"), async (q) => {
      expect(
        await q("SELECT CAST(count(*) AS INTEGER) AS n FROM fact_observation WHERE indicator_code = 'life_expectancy'"),
      ).toEqual([{ n: 15 }]);
    });
    const status = await runCli(["status", "--data", data, "--feeds", feeds, "--json"]);
    const report = JSON.parse(status.stdout) as { feeds: { lastReceived: { uri: string } | null }[] };
    expect(report.feeds[0]!.lastReceived?.uri).toBe("b-renamed.csv (refused: in failed/)");
  });
});
