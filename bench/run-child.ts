import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface Measurement {
  ms: number;
  rows: number;
  maxRssMb: number;
  cpuMs: number;
  /** Further figures a child reports beside rows and ms (records-derive: fullDerivationMs, lateRecordMs). */
  extra?: Record<string, number>;
}

const REPORTER = new URL("./report-usage.ts", import.meta.url).pathname;

/** A file the measured child writes its usage to, in a folder of its own (see takeUsage). */
export const usageFilePath = (): string => join(mkdtempSync(join(tmpdir(), "gongfu-bench-")), "usage.json");

/** Reads what the child wrote to `usageFile`, or nothing, and removes its folder: a bench leaves no folder behind. */
export function takeUsage<T>(usageFile: string, read: boolean): T | undefined {
  try {
    return read ? (JSON.parse(readFileSync(usageFile, "utf8")) as T) : undefined;
  } finally {
    rmSync(dirname(usageFile), { recursive: true, force: true });
  }
}

/**
 * Runs one measured process with the usage reporter preloaded. `timedByChild` means the child prints
 * {rows, ms} itself (to exclude its own setup); otherwise the wall time of the whole process is used.
 */
export function runMeasured(
  args: string[],
  options: { env?: Record<string, string>; timedByChild?: boolean; rows?: number } = {},
): Promise<Measurement> {
  const usageFile = usageFilePath();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", REPORTER, ...args], {
      env: { ...process.env, GONGFU_LOG_LEVEL: "warn", ...options.env, GONGFU_BENCH_USAGE: usageFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const wall = performance.now() - started;
      const usage = takeUsage<{ maxRssMb: number; cpuMs: number }>(usageFile, code === 0);
      if (code !== 0 || !usage) return reject(new Error(`exited ${code ?? "on a signal"}: ${stderr.slice(-2000)}`));
      if (options.timedByChild) {
        const line = stdout.trim().split("\n").pop() ?? "{}";
        const { rows, ms, ...rest } = JSON.parse(line) as { rows: number; ms: number } & Record<string, unknown>;
        const extra = Object.fromEntries(
          Object.entries(rest).filter((e): e is [string, number] => typeof e[1] === "number"),
        );
        resolve({ ms, rows, ...usage, ...(Object.keys(extra).length > 0 ? { extra } : {}) });
      } else resolve({ ms: wall, rows: options.rows ?? 0, ...usage });
    });
  });
}
