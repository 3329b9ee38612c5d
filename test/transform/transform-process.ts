import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FEEDS_DIR } from "./records.ts";

const CLI = fileURLToPath(new URL("../../cli/gongfu.ts", import.meta.url));

export interface TransformProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/**
 * Starts the real `gongfu transform` in a child process on the test feeds, with small transactions and a short
 * session timeout so a killed instance's partitions move on within seconds.
 */
export function spawnTransform(options: {
  brokers: string;
  prefix: string;
  instance: string;
  batchSize?: number;
  extraArgs?: string[];
  env?: Record<string, string>;
}): TransformProcess {
  const data = mkdtempSync(join(tmpdir(), "gongfu-transform-"));
  const args = [
    CLI,
    "transform",
    "--kafka",
    options.brokers,
    "--topic-prefix",
    options.prefix,
    "--feeds",
    FEEDS_DIR,
    "--data",
    data,
    "--batch-size",
    String(options.batchSize ?? 4),
    "--session-timeout",
    "6000",
    "--no-metrics",
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, GONGFU_INSTANCE_ID: options.instance, GONGFU_LOG_LEVEL: "warn", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString("utf8")));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stdout: () => out, stderr: () => err };
}

/** The counts a transform process prints as JSON on stdout when it stops. */
export function printedStats(p: TransformProcess): {
  records: number;
  observations: number;
  deadLetters: number;
  missingCells: number;
} {
  const line = p.stdout().trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as { records: number; observations: number; deadLetters: number; missingCells: number };
}
