// Ingest of many one-row files, the cost per file early and late: node bench/many-files.ts <files> <dir>
// Prints {rows, ms, firstMsPerFile, lastMsPerFile, stateBytes} last on stdout (run-child.ts reads rows and ms).
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEmbeddedBus } from "../bus/index.ts";
import { runIngestOnce } from "../ingest/index.ts";
import { parseFeedSpec, topicNames } from "../schemas/index.ts";
import { silentLogger } from "../runtime/logger.ts";
import { BENCH_HEADER, benchFeedSpec } from "./generate-input.ts";

const [filesArg, dir] = process.argv.slice(2) as [string, string];
const files = Number(filesArg);
const spec = parseFeedSpec(benchFeedSpec("bench"), "bench.yaml");
const drop = join(dir, "inbox", "bench");
mkdirSync(drop, { recursive: true });
// Each file one distinct row, as a department sending one figure per file would: every checksum is new.
for (let i = 0; i < files; i++)
  writeFileSync(join(drop, `f${String(i).padStart(6, "0")}.csv`), `${BENCH_HEADER}\n330100,gdp,2024-01,${i},亿元\n`);

const bus = createEmbeddedBus();
const topics = topicNames("bench");
const decile = Math.max(1, Math.floor(files / 10));
const marks: number[] = [];
let received = 0;
await bus.runSink({
  groupId: "count",
  topics: [topics.raw(spec.id)],
  handle: async (batch) => {
    for (const _ of batch) if (++received % decile === 0) marks.push(performance.now());
  },
  storedPositions: async () => [],
});
const started = performance.now();
const [stats] = await runIngestOnce({
  specs: [spec],
  bus,
  topics,
  dropRoot: join(dir, "inbox"),
  stateDir: join(dir, "state"),
  logger: silentLogger(),
});
const ms = performance.now() - started;
await bus.close();
const perFile = (from: number, to: number) => (to - from) / decile;
process.stdout.write(
  `${JSON.stringify({
    rows: stats?.records ?? 0,
    ms,
    firstMsPerFile: perFile(started, marks[0] ?? started),
    lastMsPerFile: perFile(marks.at(-2) ?? started, marks.at(-1) ?? started),
    stateBytes: statSync(join(dir, "state", `${spec.id}.json`)).size,
  })}\n`,
);
