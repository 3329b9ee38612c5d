import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { REPO } from "../../helpers/cli.ts";

const CLI = fileURLToPath(new URL("../../../cli/gongfu.ts", import.meta.url));

export interface SpawnedCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process exits, with its exit code (or the signal that ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until stderr (the JSON logs) has a line matching `pattern`. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** The real `gongfu` in a child process that a test can signal or kill (runCli only waits for it). */
export function spawnCli(args: string[], env: Record<string, string> = {}): SpawnedCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO,
    env: { ...process.env, GONGFU_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString("utf8")));
  child.stderr!.on("data", (c: Buffer) => (err += c.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  // A test that failed while the child ignored its SIGTERM (a broker half started) must not leave it running for ever.
  const reap = () => void child.kill("SIGKILL");
  process.once("exit", reap);
  void exited.then(() => process.off("exit", reap));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForLog(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(err)) {
        if (child.exitCode !== null)
          throw new Error(`gongfu exited (${child.exitCode}) before logging ${pattern}: ${err.slice(-2000)}`);
        if (Date.now() > deadline)
          throw new Error(`gongfu did not log ${pattern} within ${timeoutMs} ms: ${err.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
