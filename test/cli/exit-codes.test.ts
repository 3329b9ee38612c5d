import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";

const feeds = join(REPO, "feeds");
const temp = () => mkdtempSync(join(tmpdir(), "gongfu-exit-"));
const lines = (text: string) => text.trimEnd().split("\n");

// Each test starts several gongfu processes; a busy shared machine makes each take seconds.
describe("gongfu exit codes and error messages", { timeout: 240_000 }, () => {
  it("exits 0 for --help and --version", async () => {
    expect((await runCli(["--help"])).code).toBe(0);
    const version = await runCli(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("exits 2 with one line for an unknown command, an unknown option and a missing option", async () => {
    const unknown = await runCli(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(lines(unknown.stderr)[0]).toBe("gongfu: unknown command 'frobnicate'");
    const option = await runCli(["status", "--colour"]);
    expect(option.code).toBe(2);
    expect(lines(option.stderr)[0]).toBe("gongfu: unknown option '--colour'");
    const missing = await runCli(["replay"]);
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)[0]).toBe("gongfu: required option '--feed <id>' not specified");
  });

  it("exits 2 for a bad configuration, naming the file and line", async () => {
    const dir = temp();
    const file = join(dir, "gongfu.config.yaml");
    writeFileSync(file, "dataDir: data\nmetrics:\n  port: lots\n");
    const result = await runCli(["status", "--config", file, "--feeds", feeds]);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain(`gongfu: invalid configuration: ${file}:3: metrics.port:`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 for a bad feed spec, naming the file and line", async () => {
    const dir = temp();
    mkdirSync(join(dir, "feeds"));
    writeFileSync(
      join(dir, "feeds", "broken.yaml"),
      "id: broken-feed\nname: Broken\ndepartment: { code: x, name: X }\nconnector: { kind: " +
        "file-drop, path: broken }\nformat: { kind: csv }\nlayout: { kind: wide, region: r, " +
        "period: p, columns: {} }\nfrequency: weekly\n",
    );
    const result = await runCli(["run", "--data", join(dir, "data"), "--feeds", join(dir, "feeds")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(dir, "feeds", "broken.yaml")}:7: frequency:`);
  });

  it("exits 1 for a failure, in one line saying what to do, with the stack only under --verbose", async () => {
    const data = temp();
    // Another process (this test) holds the warehouse: DuckDB admits one writer.
    const instance = await DuckDBInstance.create(join(data, "gongfu.duckdb"));
    try {
      const result = await runCli(["run", "--data", data, "--feeds", feeds]);
      expect(result.code).toBe(1);
      expect(lines(result.stderr)).toEqual([
        expect.stringMatching(
          new RegExp(
            /^gongfu: the warehouse .*gongfu\.duckdb is locked by another process \(node\) \(pid \d+\) — /.source +
              /DuckDB allows one writer: stop the other process/.source,
          ),
        ),
      ]);
      const verbose = await runCli(["run", "--data", data, "--feeds", feeds, "--verbose"]);
      expect(verbose.code).toBe(1);
      expect(verbose.stderr).toMatch(/\n\s+at /);
    } finally {
      instance.closeSync();
    }
  });
});
