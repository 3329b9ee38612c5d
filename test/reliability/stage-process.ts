import { spawn, type ChildProcess } from "node:child_process";
import { REPO } from "../helpers/cli.ts";

const CLI = `${REPO}cli/gongfu.ts`;

export interface StageProcess {
  child: ChildProcess;
  /** Resolves with the exit code, or the signal name when killed. */
  exited: Promise<number | string>;
  output(): string;
}

/** Starts one gongfu stage as its own process, as an operator would. */
export function startStage(args: string[], env: Record<string, string>): StageProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO,
    env: { ...process.env, GONGFU_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(signal ?? code ?? -1)),
  );
  return { child, exited, output: () => out };
}

/** Runs a stage to completion and fails loudly with its output when it does not exit 0. */
export async function runStage(args: string[], env: Record<string, string>): Promise<void> {
  const p = startStage(args, env);
  const result = await p.exited;
  if (result !== 0) throw new Error(`gongfu ${args.join(" ")} ended with ${result}:\n${p.output()}`);
}

/** Starts a stage and SIGKILLs it after `afterMs`, wherever it is; returns whether it was still running. */
export async function killAfter(
  args: string[],
  env: Record<string, string>,
  afterMs: number,
): Promise<{ killedMidRun: boolean }> {
  const p = startStage(args, env);
  const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), afterMs));
  const first = await Promise.race([p.exited, timer]);
  if (first !== "timeout") {
    if (first !== 0) throw new Error(`gongfu ${args.join(" ")} failed before it was killed (${first}):\n${p.output()}`);
    return { killedMidRun: false };
  }
  p.child.kill("SIGKILL");
  await p.exited;
  return { killedMidRun: true };
}

/**
 * Starts a stage and SIGKILLs it `delayMs` after its output first matches `line` (a log line the stage writes when a
 * piece of work begins), so a kill lands inside that work rather than wherever a timer happens to fall. Without the
 * line it runs to its end. The stage's log level must let that line through (pass GONGFU_LOG_LEVEL in env).
 */
export async function killAfterLine(
  args: string[],
  env: Record<string, string>,
  line: RegExp,
  delayMs: number,
): Promise<{ killedMidRun: boolean }> {
  const p = startStage(args, env);
  const seen = new Promise<"seen">((resolve) => {
    const watch = (d: Buffer) => {
      if (!line.test(d.toString())) return;
      p.child.stdout?.off("data", watch);
      p.child.stderr?.off("data", watch);
      setTimeout(() => resolve("seen"), delayMs);
    };
    p.child.stdout?.on("data", watch);
    p.child.stderr?.on("data", watch);
  });
  const first = await Promise.race([p.exited, seen]);
  if (first !== "seen") {
    if (first !== 0) throw new Error(`gongfu ${args.join(" ")} failed before it was killed (${first}):\n${p.output()}`);
    return { killedMidRun: false };
  }
  p.child.kill("SIGKILL");
  return { killedMidRun: (await p.exited) === "SIGKILL" };
}
