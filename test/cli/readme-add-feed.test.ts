import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";

const README = readFileSync(join(REPO, "README.md"), "utf8");

function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}
const blocks = (md: string) =>
  [...md.matchAll(/^```([a-z]*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, text: m[2]! }));

describe("the README's 'Add your own feed', followed step by step with YAML alone", { timeout: 240_000 }, () => {
  it("validates the department's GBK file clean, loads every reported cell, and dead-letters nothing", async () => {
    const [file, spec, overlay, shell] = blocks(section("Add your own feed"));
    expect([file?.lang, spec?.lang, overlay?.lang, shell?.lang]).toEqual(["csv", "yaml", "csv", "bash"]);
    const dir = mkdtempSync(join(tmpdir(), "gongfu-readme-feed-"));
    mkdirSync(join(dir, "feeds"));
    const name = /validate (\S+\.csv)/.exec(shell!.text)![1]!;
    writeFileSync(join(dir, name), iconv.encode(file!.text.replace(/\n/g, "\r\n"), "gbk")); // as the department sends it
    writeFileSync(join(dir, "feeds", "culture-tourism-annual.yaml"), spec!.text);
    writeFileSync(join(dir, "feeds", "indicators.csv"), overlay!.text);

    for (const line of shell!.text.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim())) {
      if (!line) continue;
      const words = line.split(/\s+/);
      if (words[0] === "npm") {
        // A long settle time: only the .done marker makes the file ready at once.
        const r = await runCli(words.slice(4), { cwd: dir, env: { GONGFU_SETTLE_SECONDS: "600" } });
        expect(r.code, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
        if (words[4] === "validate") expect(r.stdout).toMatch(/4 rows ok, 0 rows with problems/);
      } else execFileSync(words[0]!, words.slice(1), { cwd: dir });
    }

    await withWarehouse(join(dir, "data", "gongfu.duckdb"), async (q) => {
      expect(
        await q(
          "SELECT indicator_code AS i, region_code AS r, period AS p, value, strftime(vintage, " +
            "'%Y-%m-%d') AS v FROM fact_observation ORDER BY 1, 2",
        ),
      ).toEqual([
        { i: "a_level_scenic_spots", r: "330000", p: "2024", value: 1012, v: "2025-03-17" },
        { i: "a_level_scenic_spots", r: "330100", p: "2024", value: 186, v: "2025-03-17" },
        { i: "a_level_scenic_spots", r: "330200", p: "2024", value: 139, v: "2025-03-17" },
        { i: "a_level_scenic_spots", r: "331100", p: "2024", value: 98, v: "2025-03-17" },
        { i: "cultural_circle_15min_coverage", r: "330000", p: "2024", value: 92.1, v: "2025-03-17" },
        { i: "cultural_circle_15min_coverage", r: "330100", p: "2024", value: 96.5, v: "2025-03-17" },
        { i: "cultural_circle_15min_coverage", r: "330200", p: "2024", value: 94.8, v: "2025-03-17" },
      ]);
      expect(await q("SELECT CAST(count(*) AS INTEGER) AS n FROM quarantine")).toEqual([{ n: 0 }]);
    });
  });
});
