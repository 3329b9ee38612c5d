// Scenario kafka-e2e: ingest, transform and load as three processes against a broker, as they are deployed.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { withKafkaAdmin } from "../cli/kafka-admin.ts";
import { KafkaSettings } from "../bus/index.ts";
import type { Measurement } from "./run-child.ts";

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

function startStage(name: string, args: string[]): Stage {
  const usageFile = join(mkdtempSync(join(tmpdir(), "gongfu-bench-")), "usage.json");
  const child = spawn(process.execPath, ["--import", REPORTER, ...(PROFILE_DIR ? ["--cpu-prof", "--cpu-prof-dir", PROFILE_DIR] : []), ...args], {
    env: { ...process.env, GONGFU_LOG_LEVEL: "warn", GONGFU_BENCH_USAGE: usageFile },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<Usage>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${name} exited ${code ?? "on a signal"}: ${stderr.slice(-1500)}`));
      resolve(JSON.parse(readFileSync(usageFile, "utf8")) as Usage);
    });
  });
  exited.catch(() => {});
  return { name, child, exited };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fails fast when a stage died, instead of waiting for a deadline. */
async function until(what: string, deadline: number, stages: Stage[], ready: () => Promise<boolean>, everyMs: number): Promise<void> {
  const died = Promise.race(stages.map((s) => s.exited.then(() => Promise.reject(new Error(`${s.name} exited early`)))));
  died.catch(() => {});
  for (;;) {
    if (await Promise.race([ready(), died])) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Promise.race([sleep(everyMs), died]);
  }
}

async function loadedCount(port: number): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    let n = 0;
    for (const line of text.split("\n")) if (line.startsWith("gongfu_records_loaded_total{")) n += Number(line.slice(line.lastIndexOf(" ") + 1));
    return n;
  } catch {
    return 0;
  }
}

async function groupsStable(brokers: string[], groups: string[]): Promise<boolean> {
  const settings = KafkaSettings.parse({ brokers });
  const { groups: described } = await withKafkaAdmin(settings, (admin) => admin.describeGroups(groups)).catch(() => ({ groups: [] }));
  return described.length === groups.length && described.every((g) => g.state === "Stable" && g.members.length > 0);
}

async function warehouseCount(path: string): Promise<number> {
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  try {
    return Number((await connection.runAndReadAll("SELECT count(*) AS n FROM fact_observation")).getRowObjects()[0]!["n"]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Starts transform and load as daemons, waits until both consumer groups are stable, then times `gongfu ingest`
 * of the N-row file from its start until load's metrics count N loaded observations. CPU is the sum of the three
 * processes; peak RSS is the largest one. The warehouse must hold exactly N observations afterwards.
 */
export async function measureKafkaE2e(options: { cli: string; feeds: string; data: string; brokers: string; n: number }): Promise<Measurement> {
  const prefix = `bench-${Date.now()}`;
  const common = ["--feeds", options.feeds, "--data", options.data, "--kafka", options.brokers, "--topic-prefix", prefix];
  const port = await freePort();
  const transform = startStage("transform", [options.cli, "transform", ...common, "--no-metrics"]);
  const load = startStage("load", [options.cli, "load", ...common, "--metrics-port", String(port)]);
  const daemons = [transform, load];
  const stages = [...daemons];
  try {
    const brokers = options.brokers.split(",");
    await until("the transform and load groups", Date.now() + 120_000, daemons, () => groupsStable(brokers, [`${prefix}-transform`, `${prefix}-load`]), 250);
    const started = performance.now();
    const ingest = startStage("ingest", [options.cli, "ingest", ...common, "--no-metrics"]);
    stages.push(ingest);
    await until(`${options.n} loaded observations`, Date.now() + 60_000 + options.n, daemons, async () => (await loadedCount(port)) >= options.n, 100);
    const ms = performance.now() - started;
    await ingest.exited;
    for (const d of daemons) d.child.kill("SIGTERM");
    const usage = await Promise.all(stages.map((s) => s.exited));
    process.stderr.write(`kafka-e2e n=${options.n} CPU s per process: ${stages.map((s, i) => `${s.name} ${(usage[i]!.cpuMs / 1000).toFixed(1)}`).join(", ")}\n`);
    const rows = await warehouseCount(join(options.data, "gongfu.duckdb"));
    if (rows !== options.n) throw new Error(`the warehouse holds ${rows} observations, expected ${options.n}`);
    return { ms, rows, maxRssMb: Math.max(...usage.map((u) => u.maxRssMb)), cpuMs: usage.reduce((s, u) => s + u.cpuMs, 0) };
  } finally {
    for (const s of stages) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  }
}
