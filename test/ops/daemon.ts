import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { REPO } from "../helpers/cli.ts";

const CLI = fileURLToPath(new URL("../../cli/gongfu.ts", import.meta.url));

/** A gongfu daemon in a child process, with its metrics URL read from its "metrics endpoint listening" log line. */
export interface Daemon {
  child: ChildProcess;
  metricsUrl: string;
  stderr(): string;
  /** SIGTERM, then the exit code and standard output. */
  stop(): Promise<{ code: number | null; stdout: string }>;
}

export async function startDaemon(args: string[], timeoutMs = 60_000): Promise<Daemon> {
  const child = spawn(process.execPath, [CLI, ...args, "--metrics-port", "0"], {
    cwd: REPO,
    env: { ...process.env, GONGFU_LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const metricsUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no metrics endpoint within ${timeoutMs} ms:\n${stderr}`)),
      timeoutMs,
    );
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      const m = /"port":(\d+)[^\n]*"msg":"metrics endpoint listening"/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    void exited.then((code) => reject(new Error(`daemon exited with ${code} before serving metrics:\n${stderr}`)));
  });
  return {
    child,
    metricsUrl,
    stderr: () => stderr,
    stop: async () => {
      child.kill("SIGTERM");
      return { code: await exited, stdout };
    },
  };
}

/** Polls until `fn` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
