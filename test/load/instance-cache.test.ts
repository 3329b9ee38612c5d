import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const CHILD = join(import.meta.dirname, "instance-cache-process.ts");
/** The child needs about a second; a hang is a thread spinning for ever, so it is killed, not waited for. */
const LIMIT_MS = 30_000;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs the child and resolves with its output, or with "timed out" after killing it. */
function runChild(path: string): Promise<{ stdout: string; stderr: string; code: number | null; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHILD, path], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, LIMIT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, timedOut });
    });
  });
}

describe("a warehouse opened twice in one process", () => {
  // DuckDB's instance cache spun for ever when the first opening's instance object had been garbage-collected while
  // its connection was open (load/warehouse.ts keeps it reachable): `gongfu load` with record feeds hung at random.
  it(
    "opens the second connection after a garbage collection",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "gongfu-instance-cache-"));
      dirs.push(dir);
      const result = await runChild(join(dir, "warehouse.duckdb"));
      expect(result.timedOut, `the second open hung; stderr: ${result.stderr.slice(-2000)}`).toBe(false);
      expect(result.code, result.stderr.slice(-2000)).toBe(0);
      expect(result.stdout).toMatch(/^ok \[\[\d+\]\]/);
    },
    LIMIT_MS + 10_000,
  );
});
