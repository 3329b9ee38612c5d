import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { missingNodeFlags, NODE_FLAGS } from "../../cli/node-flags.ts";
import { runCli } from "../helpers/cli.ts";
import { tempDir } from "../load/fixtures.ts";

describe("the V8 flags gongfu runs with", () => {
  it("are missing unless given on the command line or in NODE_OPTIONS, where the user's value wins", () => {
    expect(missingNodeFlags([], undefined)).toEqual([...NODE_FLAGS]);
    expect(missingNodeFlags(["--max-semi-space-size=32"], undefined)).toEqual([]);
    expect(missingNodeFlags([], "--max-old-space-size=256 --max-semi-space-size=2")).toEqual([]);
    expect(missingNodeFlags(["--inspect"], "--max-old-space-size=256")).toEqual([...NODE_FLAGS]);
  });

  it("are on the command line of the process that runs a command, which keeps its pid", async () => {
    const dir = tempDir("node-flags");
    const out = join(dir, "seen.jsonl");
    // Preloaded into every Node image the command runs in; only the one that reaches its exit writes.
    const probe = join(dir, "probe.cjs");
    writeFileSync(
      probe,
      `process.on("exit", () => require("node:fs").appendFileSync(${JSON.stringify(out)}, ` +
        `JSON.stringify({ pid: process.pid, execArgv: process.execArgv }) + "\\n"));\n` +
        `require("node:fs").appendFileSync(${JSON.stringify(out)}, JSON.stringify({ started: process.pid }) + "\\n");\n`,
    );
    const result = await runCli(["--version"], { env: { NODE_OPTIONS: `--require=${probe}` } });
    expect(result.code, result.stderr).toBe(0);
    const lines = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { started?: number; pid?: number; execArgv?: string[] });
    // Started twice (without the flags, then with them), exited once, as one process.
    const started = lines.filter((l) => l.started !== undefined).map((l) => l.started);
    const exited = lines.filter((l) => l.execArgv !== undefined);
    expect(started).toHaveLength(2);
    expect(new Set(started).size).toBe(1);
    expect(exited).toHaveLength(1);
    expect(exited[0]!.pid).toBe(started[0]);
    expect(exited[0]!.execArgv).toEqual(expect.arrayContaining([...NODE_FLAGS]));

    // Switched off, or given already: started once.
    for (const env of [{ GONGFU_NODE_FLAGS: "off" }, { NODE_OPTIONS: `--require=${probe} ${NODE_FLAGS.join(" ")}` }]) {
      writeFileSync(out, "");
      expect((await runCli(["--version"], { env: { NODE_OPTIONS: `--require=${probe}`, ...env } })).code).toBe(0);
      expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(2);
    }
  });
});
