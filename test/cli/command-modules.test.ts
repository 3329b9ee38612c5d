import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { EvalConfig } from "../../evaluate/index.ts";
import { EXPORT_FORMATS } from "../../load/index.ts";
import { EVAL_FLAG_DEFAULTS } from "../../cli/eval-flags.ts";
import { EXPORT_FORMAT_CHOICES } from "../../cli/commands/export.ts";
import { REPO, runCli } from "../helpers/cli.ts";

// What a gongfu process loads, counted (never timed): each command imports what it runs only once it is chosen
// (cli/program.ts), and kafkajs and apache-arrow load on first use (bus/kafka-lazy.ts, schemas/batch/apache-arrow.ts).

const PRELOAD = fileURLToPath(new URL("../helpers/record-loaded-modules.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "gongfu-modules-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Loaded {
  code: number;
  stderr: string;
  /** npm packages, by name. */
  packages: Set<string>;
  /** Our own modules, relative to the repository. */
  own: string[];
}

let runs = 0;
async function loadedBy(args: string[]): Promise<Loaded> {
  const out = join(dir, `modules-${runs++}.txt`);
  const result = await runCli(args, { nodeArgs: ["--import", PRELOAD], env: { GONGFU_LOADED_MODULES: out } });
  return { code: result.code, stderr: result.stderr, ...modulesIn(out) };
}

/** What importing a module loads, in a process of its own: a command's start-up, before it does anything. */
async function loadedByImporting(module: string): Promise<Pick<Loaded, "packages" | "own">> {
  const out = join(dir, `modules-${runs++}.txt`);
  const url = pathToFileURL(join(REPO, module)).href;
  await promisify(execFile)(
    process.execPath,
    ["--import", PRELOAD, "--input-type=module", "-e", `await import(${JSON.stringify(url)})`],
    { env: { ...process.env, GONGFU_LOADED_MODULES: out } },
  );
  return modulesIn(out);
}

function modulesIn(out: string): Pick<Loaded, "packages" | "own"> {
  const files = readFileSync(out, "utf8")
    .split("\n")
    .filter((url) => url.startsWith("file:"))
    .map((url) => fileURLToPath(url));
  const packages = new Set<string>();
  const own: string[] = [];
  for (const file of files) {
    const pkg = /[/\\]node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)/.exec(file)?.[1];
    if (pkg) packages.add(pkg.replace("\\", "/"));
    else own.push(relative(REPO, file).replaceAll("\\", "/"));
  }
  return { packages, own };
}

describe("what a gongfu command loads", () => {
  it("--version and a command's --help load commander and the command definitions, no command's action", async () => {
    for (const args of [["--version"], ["--help"], ["transform", "--help"], ["evaluate", "--help"]]) {
      const loaded = await loadedBy(args);
      expect(loaded.code, args.join(" ")).toBe(0);
      expect([...loaded.packages], args.join(" ")).toEqual(["commander"]);
      expect(
        loaded.own.filter((m) => !m.startsWith("cli/") || m.startsWith("cli/actions/")),
        args.join(" "),
      ).toEqual(["runtime/errors.ts"]);
    }
  });

  it("an embedded run loads neither kafkajs nor apache-arrow", async () => {
    const loaded = await loadedBy(["run", "--samples", "--data", join(dir, "data"), "--no-metrics"]);
    expect(loaded.code, loaded.stderr).toBe(0);
    // It did load the pipeline: the count is of a real run.
    expect(loaded.packages).toContain("@duckdb/node-api");
    expect(loaded.own).toContain("cli/actions/run.ts");
    expect([...loaded.packages].filter((p) => p === "kafkajs" || p === "apache-arrow")).toEqual([]);
  });

  it("a Kafka stage starts with its own stage only, and with kafkajs and Arrow left until a bus is used", async () => {
    // What each stage's action must not import at start-up; DuckDB is the loader's and ingest's (CSV), not transform's.
    const stages = {
      ingest: ["load/", "transform/"],
      transform: ["ingest/", "load/", "@duckdb/node-api"],
      load: ["ingest/", "transform/"],
    };
    for (const [stage, others] of Object.entries(stages)) {
      const loaded = await loadedByImporting(`cli/actions/${stage}.ts`);
      expect(loaded.own, stage).toContain(`${stage}/index.ts`);
      const unwanted = ["kafkajs", "apache-arrow", ...others];
      expect(
        [...loaded.own, ...loaded.packages].filter((m) => unwanted.some((u) => m === u || m.startsWith(u))),
        stage,
      ).toEqual([]);
    }
  });
});

describe("the copies the command definitions keep, so --help loads no stage", () => {
  it("name evaluate's defaults", () => {
    const d = EvalConfig.parse({});
    expect(EVAL_FLAG_DEFAULTS).toEqual({
      method: d.method,
      weights: d.weights,
      aggregation: d.aggregation,
      coverageThreshold: d.coverageThreshold,
      imputation: d.imputation,
      entropyConvention: d.entropyConvention,
      sensitivity: { draws: d.sensitivity.draws, seed: d.sensitivity.seed },
    });
  });

  it("offer load's export formats", () => {
    expect(EXPORT_FORMAT_CHOICES).toEqual(EXPORT_FORMATS);
  });
});
