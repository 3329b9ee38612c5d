// Scenario kafka-e2e: ingest, transform and load as three processes against a broker, as they are deployed.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { withKafkaAdmin } from "../bus/kafka-admin.ts";
import { KafkaSettings } from "../bus/index.ts";
import { takeUsage, usageFilePath, type Measurement } from "./run-child.ts";
import { WAREHOUSE } from "../schemas/index.ts";

const REPORTER = new URL("./report-usage.ts", import.meta.url).pathname;

interface Usage {
  maxRssMb: number;
  cpuMs: number;
}

interface Stage {
  name: string;
  child: ChildProcess;
  exited: Promise<Usage>;
}

/** GONGFU_BENCH_CPU_PROF=<dir> writes a CPU profile of each of the three processes there (node --cpu-prof). */
const PROFILE_DIR = process.env["GONGFU_BENCH_CPU_PROF"];

function startStage(
  name: string,
  args: string[],
  options: { logLevel?: string; onLogLine?: (line: string) => void } = {},
): Stage {
  const usageFile = usageFilePath();
  const child = spawn(
    process.execPath,
    ["--import", REPORTER, ...(PROFILE_DIR ? ["--cpu-prof", "--cpu-prof-dir", PROFILE_DIR] : []), ...args],
    {
      env: { ...process.env, GONGFU_LOG_LEVEL: options.logLevel ?? "warn", GONGFU_BENCH_USAGE: usageFile },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  createInterface({ input: child.stderr! }).on("line", (line) => {
    stderr = `${stderr}${line}\n`.slice(-4000);
    options.onLogLine?.(line);
  });
  const exited = new Promise<Usage>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const usage = takeUsage<Usage>(usageFile, code === 0);
      if (code !== 0 || !usage)
        return reject(new Error(`${name} exited ${code ?? "on a signal"}: ${stderr.slice(-1500)}`));
      resolve(usage);
    });
  });
  exited.catch(() => {});
  return { name, child, exited };
}

/** Observations the loader has committed to the warehouse, from its debug line after each warehouse transaction. */
function committedCounter(): { count(): number; onLogLine(line: string): void } {
  let committed = 0;
  return {
    count: () => committed,
    onLogLine(line) {
      if (!line.includes('"batch loaded"')) return;
      const entry = JSON.parse(line) as { msg?: string; observations?: number };
      if (entry.msg === "batch loaded") committed += entry.observations ?? 0;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fails fast when a stage died, instead of waiting for a deadline. */
async function until(
  what: string,
  deadline: number,
  stages: Stage[],
  ready: () => Promise<boolean>,
  everyMs: number,
): Promise<void> {
  const died = Promise.race(
    stages.map((s) => s.exited.then(() => Promise.reject(new Error(`${s.name} exited early`)))),
  );
  died.catch(() => {});
  for (;;) {
    if (await Promise.race([ready(), died])) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Promise.race([sleep(everyMs), died]);
  }
}

async function groupsStable(brokers: string[], groups: string[]): Promise<boolean> {
  const settings = KafkaSettings.parse({ brokers });
  const { groups: described } = await withKafkaAdmin(settings, (admin) => admin.describeGroups(groups)).catch(() => ({
    groups: [],
  }));
  return described.length === groups.length && described.every((g) => g.state === "Stable" && g.members.length > 0);
}

async function warehouseCount(path: string): Promise<number> {
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  try {
    return Number(
      (await connection.runAndReadAll(`SELECT count(*) AS n FROM ${WAREHOUSE.factObservation}`)).getRowObjects()[0]![
        "n"
      ],
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Starts transform and load as daemons, waits until both consumer groups are stable, then times `gongfu ingest`
 * of the N-row file from its start until the loader has committed N observations to the warehouse (its debug line
 * after each warehouse transaction; the metrics count records handed to it, which may still be staged). CPU is the
 * sum of the three processes; peak RSS is the largest one. The warehouse must hold exactly N observations afterwards.
 */
export async function measureKafkaE2e(options: {
  cli: string;
  feeds: string;
  data: string;
  brokers: string;
  n: number;
}): Promise<Measurement> {
  const prefix = `bench-${Date.now()}`;
  const common = [
    "--feeds",
    options.feeds,
    "--data",
    options.data,
    "--kafka",
    options.brokers,
    "--topic-prefix",
    prefix,
  ];
  const committed = committedCounter();
  const transform = startStage("transform", [options.cli, "transform", ...common, "--no-metrics"]);
  const load = startStage("load", [options.cli, "load", ...common, "--no-metrics"], {
    logLevel: "debug",
    onLogLine: committed.onLogLine,
  });
  const daemons = [transform, load];
  const stages = [...daemons];
  try {
    const brokers = options.brokers.split(",");
    await until(
      "the transform and load groups",
      Date.now() + 120_000,
      daemons,
      () => groupsStable(brokers, [`${prefix}-transform`, `${prefix}-load`]),
      250,
    );
    const started = performance.now();
    const ingest = startStage("ingest", [options.cli, "ingest", ...common, "--no-metrics"]);
    stages.push(ingest);
    await until(
      `${options.n} observations in the warehouse`,
      Date.now() + 60_000 + options.n,
      daemons,
      async () => committed.count() >= options.n,
      50,
    );
    const ms = performance.now() - started;
    await ingest.exited;
    for (const d of daemons) d.child.kill("SIGTERM");
    const usage = await Promise.all(stages.map((s) => s.exited));
    const perProcess = stages.map(
      (s, i) => `${s.name} ${(usage[i]!.cpuMs / 1000).toFixed(1)} s CPU ${usage[i]!.maxRssMb.toFixed(0)} MB`,
    );
    process.stderr.write(`kafka-e2e n=${options.n} per process: ${perProcess.join(", ")}\n`);
    const rows = await warehouseCount(join(options.data, "gongfu.duckdb"));
    if (rows !== options.n) throw new Error(`the warehouse holds ${rows} observations, expected ${options.n}`);
    return {
      ms,
      rows,
      maxRssMb: Math.max(...usage.map((u) => u.maxRssMb)),
      cpuMs: usage.reduce((s, u) => s + u.cpuMs, 0),
    };
  } finally {
    for (const s of stages) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  }
}
