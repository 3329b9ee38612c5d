import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// `npm run lint` only means something if it fails on a violation. These run the same tools, with the repo's own
// configuration, on fixtures that break the rules on purpose (test/fixtures/lint, which the real run skips).
const run = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
const bin = (name: string) => join(root, "node_modules", ".bin", name);
const fixtures = join(root, "test", "fixtures", "lint");

async function exitOf(cmd: string, args: string[], cwd = root): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

describe("the layering check", () => {
  it("fails when a stage imports another stage, a shared layer imports a stage, or kafkajs is imported past bus/kafkajs.ts", async () => {
    const { code, out } = await exitOf(
      bin("depcruise"),
      ["--config", join(root, ".dependency-cruiser.cjs"), "--no-progress", "."],
      join(fixtures, "layering"),
    );
    expect(code).not.toBe(0);
    expect(out).toContain("stage-imports-stage: ingest/reader.ts → load/writer.ts");
    expect(out).toContain("shared-layer-imports-stage: bus/topic.ts → ingest/reader.ts");
    expect(out).toMatch(/kafkajs-through-bus: bus\/kafka-client\.ts → \S*node_modules\/kafkajs\/index\.js/);
  });

  it("fails when a stage imports report/, or report/ or the command line reach past a door", async () => {
    const { code, out } = await exitOf(
      bin("depcruise"),
      ["--config", join(root, ".dependency-cruiser.cjs"), "--no-progress", "."],
      join(fixtures, "layering"),
    );
    expect(code).not.toBe(0);
    expect(out).toContain("stage-imports-report: evaluate/summary.ts → report/index.ts");
    expect(out).toContain("report-past-a-door: report/page.ts → evaluate/score.ts");
    expect(out).toContain("report-internals: cli/show.ts → report/page.ts");
  });

  it("fails when the command line loads DuckDB to run SQL itself", async () => {
    const { code, out } = await exitOf(
      bin("depcruise"),
      ["--config", join(root, ".dependency-cruiser.cjs"), "--no-progress", "."],
      join(fixtures, "layering"),
    );
    expect(code).not.toBe(0);
    expect(out).toMatch(/cli-runs-sql: cli\/query\.ts → \S*node_modules\/@duckdb\/node-api\//);
  });

  it("passes on the repository itself, with only the recorded known violations", async () => {
    const { code, out } = await exitOf("npm", ["run", "--silent", "lint:deps"]);
    expect(out).toContain("no dependency violations found");
    expect(code).toBe(0);
  });
});

describe("the linter and formatter", () => {
  // The fixture folder is ignored by the repository's own run, so each check gets a copy in a folder of its own.
  const checkCopy = async (command: "lint" | "format") => {
    const dir = mkdtempSync(join(tmpdir(), "gongfu-lint-"));
    try {
      copyFileSync(join(fixtures, "bad-style.ts"), join(dir, "bad-style.ts"));
      const config = `--config-path=${join(root, "biome.jsonc")}`;
      return await exitOf(bin("biome"), [command, config, "--vcs-enabled=false", "bad-style.ts"], dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("the linter fails on an implicit-any let", async () => {
    const { code, out } = await checkCopy("lint");
    expect(out).toContain("lint/suspicious/noImplicitAnyLet");
    expect(code).not.toBe(0);
  });

  it("the format check fails on a file the formatter would change", async () => {
    const { code } = await checkCopy("format");
    expect(code).not.toBe(0);
  });
});
