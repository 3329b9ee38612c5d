// node bench/records-kafka.ts --kafka <brokers> [--records 1e6]: household records through Kafka, as deployed:
// `gongfu load` already running (its consumer groups joined), timed from the start of `gongfu ingest` of one CSV until
// the record loader has committed every record and derived the cells (the last batch's transaction derives them).
// Prints JSON: records/s, CPU and peak RSS of each process. The record feed and derivations are the embedded bench's
// (bench/records-derive.ts); the file is written in pieces before the clock starts.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { withKafkaAdmin } from "../bus/kafka-admin.ts";
import { KafkaSettings } from "../bus/index.ts";
import { defaultCatalog } from "../schemas/index.ts";
import { BENCH_DERIVATIONS_YAML, BENCH_RECORD_FEED_YAML, writeHouseholds } from "./household-records.ts";

const { values } = parseArgs({
  options: { records: { type: "string", default: "1e6" }, kafka: { type: "string" } },
});
const n = Number(values.records);
const brokers = values.kafka ?? process.env["KAFKA_BROKERS"];
if (!brokers) throw new Error("usage: node bench/records-kafka.ts --kafka <brokers> [--records 1e6]");
const CLI = new URL("../cli/gongfu.ts", import.meta.url).pathname;
const REPORTER = new URL("./report-usage.ts", import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), "gongfu-bench-records-kafka-"));
const feeds = join(dir, "feeds");
mkdirSync(join(feeds, "records"), { recursive: true });
mkdirSync(join(feeds, "derivations"), { recursive: true });
writeFileSync(join(feeds, "records", "bench-households.yaml"), BENCH_RECORD_FEED_YAML);
BENCH_DERIVATIONS_YAML.forEach((y, i) => writeFileSync(join(feeds, "derivations", `bench-${i}.yaml`), y));
const data = join(dir, "data");
const counties = defaultCatalog()
  .regions.filter((r) => r.level === "county")
  .map((r) => r.code);
writeHouseholds(join(data, "inbox", "households", "all.csv"), n, 0, counties);

interface Stage {
  name: string;
  child: ChildProcess;
  exited: Promise<{ maxRssMb: number; cpuMs: number }>;
}

function startStage(name: string, args: string[], onLogLine?: (line: string) => void): Stage {
  const usageFile = join(dir, `${name}-usage.json`);
  const child = spawn(process.execPath, ["--import", REPORTER, CLI, ...args], {
    env: {
      ...process.env,
      GONGFU_LOG_LEVEL: onLogLine ? "debug" : "warn",
      GONGFU_BENCH_USAGE: usageFile,
      GONGFU_PSEUDONYM_KEY: "bench-only-key-0123456789abcdef",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let tail = "";
  createInterface({ input: child.stderr! }).on("line", (line) => {
    tail = `${tail}${line}\n`.slice(-3000);
    onLogLine?.(line);
  });
  const exited = new Promise<{ maxRssMb: number; cpuMs: number }>((resolve, reject) => {
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${name} exited ${code ?? "on a signal"}: ${tail}`));
      resolve(JSON.parse(readFileSync(usageFile, "utf8")) as { maxRssMb: number; cpuMs: number });
    });
  });
  exited.catch(() => {});
  return { name, child, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const prefix = `bench-rec-${Date.now()}`;
const common = ["--feeds", feeds, "--data", data, "--kafka", brokers, "--topic-prefix", prefix, "--no-metrics"];
let committed = 0;
const load = startStage("load", ["load", ...common], (line) => {
  if (!line.includes('"record batches loaded"')) return;
  committed += (JSON.parse(line) as { records?: number }).records ?? 0;
});
const stages = [load];
try {
  const settings = KafkaSettings.parse({ brokers: brokers.split(",") });
  const groups = [`${prefix}-load`, `${prefix}-load-records`];
  for (let deadline = Date.now() + 120_000; ; await sleep(250)) {
    if (Date.now() > deadline) throw new Error("the loader's consumer groups did not join");
    const { groups: described } = await withKafkaAdmin(settings, (a) => a.describeGroups(groups)).catch(() => ({
      groups: [],
    }));
    if (described.length === 2 && described.every((g) => g.state === "Stable")) break;
  }
  const started = performance.now();
  const ingest = startStage("ingest", ["ingest", ...common]);
  stages.push(ingest);
  for (let deadline = Date.now() + 120_000 + n / 10; committed < n; await sleep(50))
    if (Date.now() > deadline) throw new Error(`timed out: ${committed} of ${n} records committed`);
  const ms = performance.now() - started;
  await ingest.exited;
  load.child.kill("SIGTERM");
  const [loadUsage, ingestUsage] = await Promise.all(stages.map((s) => s.exited));
  process.stdout.write(
    `${JSON.stringify({
      rows: n,
      ms: Math.round(ms),
      recordsPerSecond: Math.round(n / (ms / 1000)),
      ingest: { cpuS: +(ingestUsage!.cpuMs / 1000).toFixed(1), peakRssMb: Math.round(ingestUsage!.maxRssMb) },
      load: { cpuS: +(loadUsage!.cpuMs / 1000).toFixed(1), peakRssMb: Math.round(loadUsage!.maxRssMb) },
    })}\n`,
  );
} finally {
  for (const s of stages) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
}
