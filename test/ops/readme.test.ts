import { accessSync, constants, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";

const README = readFileSync(join(REPO, "README.md"), "utf8");
const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> };

/** The fenced code blocks of a markdown section (or of the whole file), in order. */
function fencedBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "${title}"`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}
/** The command of each line of a shell block, without its trailing comment. */
function commands(block: string): string[] {
  return block
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

describe("the README, followed step by step", () => {
  it("has the newcomer's sections", () => {
    for (const title of ["What you see", "Run with Kafka", "Schedule it", "Troubleshoot"])
      expect(section(title).length).toBeGreaterThan(200);
    expect(section("Troubleshoot").match(/^\d\. \*\*/gm)).toHaveLength(5);
  });

  it("starts with the two commands, and the demo they name prints the realisation table shown under What you see", async () => {
    const [setupAndDemo, test] = commands(fencedBlocks(README)[0]!);
    expect(setupAndDemo).toBe("scripts/setup && npm run demo");
    expect(test).toBe("npm test");
    accessSync(join(REPO, "scripts/setup"), constants.X_OK);
    expect(pkg.scripts["test"]).toBeDefined();

    // `npm run demo` is `scripts/with-node node cli/gongfu.ts <args>`: run those args, with a data folder of its own.
    const demo = pkg.scripts["demo"]!;
    expect(demo).toMatch(/^scripts\/with-node node cli\/gongfu\.ts /);
    const args = demo.replace(/^scripts\/with-node node cli\/gongfu\.ts /, "").split(/\s+/);
    const data = mkdtempSync(join(tmpdir(), "gongfu-readme-"));
    const result = await runCli([...args, "--data", data], { timeoutMs: 300_000 });
    expect(result.code).toBe(0);

    const shown = fencedBlocks(section("What you see"))[0]!.split("\n");
    const output = result.stdout.split("\n");
    expect(output[0]).toBe(shown[0]!.replace("/path/to/gongfu/data", data));
    expect(output[1]).toBe(shown[1]);
    // Every region row of the excerpt is in the output with the same cells (the output may have more periods).
    const rows = shown.filter((l) => /^\S+\s+\d{6}\s/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      const [name, code, ...cells] = row.trim().split(/\s{2,}/);
      const actual = output.find((l) => l.startsWith(`${name} `) && l.includes(` ${code} `));
      expect(actual, `${name} ${code}`).toBeDefined();
      for (const cell of cells) expect(actual).toContain(cell);
    }
    // The next step it shows: status reports the loaded feeds, just received. The sample income data ends with 2024,
    // so once 2025's was due (2026-03-02) the feed is late by its data's age, not by its arrival.
    const status = await runCli(["status", "--data", data, "--json"]);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as {
      feeds: Array<{ feed: string; freshness: string; observationsLoaded: number; lateBecause: string[] }>;
    };
    const dataOld = Date.now() > Date.parse("2026-03-02T23:59:59.999Z");
    expect(report.feeds.find((f) => f.feed === "stats-bureau-income")).toMatchObject({
      freshness: dataOld ? "late" : "fresh",
      lateBecause: dataOld ? ["data"] : [],
      observationsLoaded: 60,
    });
  }, 400_000);
});
