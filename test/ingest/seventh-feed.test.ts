import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";
import { workspace } from "./helpers/workspace.ts";

/** The fenced blocks of one README section, by language: the test follows the README, so the README stays true. */
function readmeBlocks(section: string): Record<string, string> {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const start = readme.indexOf(`## ${section}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${section}" section`);
  const body = readme.slice(
    start,
    readme.indexOf("\n## ", start + 1) === -1 ? undefined : readme.indexOf("\n## ", start + 1),
  );
  const blocks: Record<string, string> = {};
  for (const m of body.matchAll(/```(\w+)\n([\s\S]*?)```/g)) blocks[m[1]!] ??= m[2]!;
  return blocks;
}

describe("a newcomer adds a seventh feed by writing only a YAML file, following the README", () => {
  it("validates the department's file and runs it through the whole pipeline into the warehouse", async () => {
    const { yaml, csv } = readmeBlocks("Add your own feed");
    const w = workspace("seventh-feed");
    w.spec("culture-tourism-annual", yaml!);
    const file = w.drop("culture-tourism", "culture-2024.csv", csv!);
    const common = ["--data", w.data, "--feeds", w.feeds];

    const validated = await runCli(["validate", file, "--feed", "culture-tourism-annual", ...common]);
    expect(validated.stdout).toMatch(/3 rows ok, 0 rows with problems/);
    expect(validated.code).toBe(0);

    const run = await runCli(["run", "--indicator", "cultural_circle_15min_coverage", ...common], {
      env: { KAFKA_BROKERS: "" },
    }); // embedded, as on a fresh clone
    expect(run.stderr).not.toMatch(/gongfu: /);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/丽水市\s+331100\s+88\.4 \(88\.4%\)/);
    await withWarehouse(join(w.data, "gongfu.duckdb"), async (query) => {
      const rows = await query(
        "SELECT region_code, period, value, source_feed FROM fact_observation WHERE indicator_code = 'cultural_circle_15min_coverage' ORDER BY region_code",
      );
      expect(rows).toEqual([
        { region_code: "330000", period: "2024", value: 92.1, source_feed: "culture-tourism-annual" },
        { region_code: "330100", period: "2024", value: 96.5, source_feed: "culture-tourism-annual" },
        { region_code: "331100", period: "2024", value: 88.4, source_feed: "culture-tourism-annual" },
      ]);
      expect(await query("SELECT count(*)::INTEGER AS n FROM quarantine")).toEqual([{ n: 0 }]);
    });
  });
});
