import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../runtime/config.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { REPO, runCli } from "../helpers/cli.ts";

// The evaluate section of gongfu.config.yaml: shown with its effective values, validated at start (issue 17, item 6).
describe("the evaluate configuration", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "gongfu-config-eval-"));

  it("is validated when the configuration is loaded, naming the file, line and setting", () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "logLevel: info\nevaluate:\n  method: median\n  coverageThreshold: 1.5\n");
    expect(() => loadConfig({ file, env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ file, env: {} })).toThrow(new RegExp(`${file}:3: evaluate\\.method`));
    expect(() => loadConfig({ file, env: {} })).toThrow(/evaluate\.coverageThreshold/);
    const typo = join(dir, "typo.yaml");
    writeFileSync(typo, "evaluate:\n  weigths: entropy\n");
    expect(() => loadConfig({ file: typo, env: {} })).toThrow(/unknown setting \(weigths\)/);
  });

  it("is filled with its defaults, and a partial section keeps the defaults of the rest", () => {
    const file = join(dir, "partial.yaml");
    writeFileSync(file, "evaluate:\n  weights: entropy\n  sensitivity: { draws: 200 }\n");
    const config = loadConfig({ file, env: {} });
    expect(config.evaluate).toMatchObject({
      method: "ratio",
      weights: "entropy",
      aggregation: "arithmetic",
      coverageThreshold: 0.5,
      sensitivity: { draws: 200, seed: 20250901, perturbation: 0.2 },
      staleness: { annual: 24, quarterly: 6, monthly: 2 },
    });
  });

  it("gongfu config prints the evaluate section's effective values, and refuses a bad one with exit code 2", async () => {
    const ok = await runCli(["config", "--json", "--feeds", join(REPO, "feeds")], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    const evaluate = (JSON.parse(ok.stdout) as { config: { evaluate: Record<string, unknown> } }).config.evaluate;
    expect(evaluate).toMatchObject({
      method: "ratio",
      weights: "equal",
      aggregation: "arithmetic",
      coverageThreshold: 0.5,
    });
    const yaml = await runCli(["config"], { cwd: dir });
    expect(yaml.stdout).toMatch(/evaluate:\n {2}method: ratio\n {2}weights: equal\n {2}aggregation: arithmetic/);
    expect(yaml.stdout).not.toMatch(/evaluate: \{\}/);
    const bad = await runCli(["config", "--config", join(dir, "bad.yaml")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/evaluate\.method/);
  });

  it("evaluate --help shows the defaults of --method, --weights and --aggregation", async () => {
    const help = await runCli(["evaluate", "--help"]);
    expect(help.code).toBe(0);
    const flat = help.stdout.replace(/\s+/g, " ");
    expect(flat).toMatch(/--method <method> .*\(default: ratio\)/);
    expect(flat).toMatch(/--weights <weights> .*\(default: equal\)/);
    expect(flat).toMatch(/--aggregation <how> .*\(default: arithmetic\)/);
    expect(flat).toMatch(/--imputation <how> .*\(default: carry_forward\)/);
    expect(flat).toMatch(/--entropy-convention <c> .*\(default: minmax\)/);
  });
});
