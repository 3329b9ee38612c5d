import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../../helpers/cli.ts";

interface ReaderLine {
  mode: "fresh" | "pooled";
  ok: boolean;
  n?: number;
  keys?: number;
  error?: string;
}

export interface ReaderSummary {
  queries: number;
  failed: string[];
  /** Queries that saw a row twice (two versions of a file at once) or fewer rows than before (a partial file). */
  inconsistent: string[];
}

/** A BI tool in a child process (test/load/bi-reader-process.ts) querying bi.duckdb in a loop until `stop()`. */
export function startBiReader(biPath: string, scratch: string) {
  const stopFile = join(scratch, `stop-reader-${process.pid}-${Date.now()}`);
  const child = spawn(process.execPath, [join(REPO, "test/load/bi-reader-process.ts"), biPath, stopFile], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.on("exit", r));
  const lines = () =>
    output
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as ReaderLine);
  return {
    /** Rows the newest successful fresh query saw (-1 before any). */
    latest: () =>
      lines()
        .filter((l) => l.mode === "fresh" && l.ok)
        .at(-1)?.n ?? -1,
    /**
     * Rows seen once two more fresh queries have finished: a query that was running when the caller's event happened
     * (a loader's last export at exit) may still show what was there before it.
     */
    async caughtUp(timeoutMs = 30_000): Promise<number> {
      const fresh = () => lines().filter((l) => l.mode === "fresh").length;
      const target = fresh() + 2;
      for (let waited = 0; fresh() < target; waited += 50) {
        if (waited > timeoutMs)
          throw new Error(`the BI reader ran no query for ${timeoutMs} ms:\n${output.slice(-1000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return (
        lines()
          .filter((l) => l.mode === "fresh" && l.ok)
          .at(-1)?.n ?? -1
      );
    },
    async stop(): Promise<ReaderSummary> {
      writeFileSync(stopFile, "");
      const code = await exited;
      const seen = lines();
      const failed = seen.filter((l) => !l.ok).map((l) => `${l.mode}: ${l.error}`);
      if (code !== 0) failed.push(`reader exited with ${code}: ${output.slice(-1000)}`);
      const inconsistent: string[] = [];
      for (const mode of ["fresh", "pooled"] as const) {
        let before = 0;
        for (const l of seen.filter((x) => x.mode === mode && x.ok)) {
          if (l.keys !== l.n) inconsistent.push(`${mode}: ${l.n} rows but ${l.keys} keys`);
          if (l.n! < before) inconsistent.push(`${mode}: ${l.n} rows after ${before}`);
          before = l.n!;
        }
      }
      return { queries: seen.length, failed, inconsistent };
    },
    kill: () => child.kill("SIGKILL"),
  };
}
