// node bench/records-derive.ts [--records 1e6] [--feed households|registry|stations]: records through record
// ingest, the record loader and their derivations in embedded mode, one process. `households` (the default): the
// bench's own households, a band share and a Gini. `registry`: about N events of the sample market registry
// (samples/generate, at the share that gives N) and the live count at year-ends. `stations`: every station's hourly
// PM2.5 for round(N / 896k) years (1 to 5) and the mean and good-day share. Prints JSON: records/s from file to
// derived cells, a full re-derivation of every cell, a late file (one record; for stations one station-day), and
// peak RSS. Scenarios `records-derive`, `records-registry` and `records-stations` of `npm run bench` (bench/run.ts);
// its last line gives `rows` and `ms` (file to derived cells) as run-child expects.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createEmbeddedBus } from "../bus/index.ts";
import { runRecordIngestOnce } from "../ingest/index.ts";
import { openWarehouse, startRecordLoad, syncCatalog } from "../load/index.ts";
import { createLogger } from "../runtime/logger.ts";
import { defaultCatalog, parseDerivation, parseRecordFeedSpec, topicNames } from "../schemas/index.ts";
import { BENCH_DERIVATIONS_YAML, BENCH_RECORD_FEED_YAML, writeHouseholds } from "./household-records.ts";
import { READINGS_PER_YEAR, registryFeed, stationsFeed, writeLate, type BenchRecordFeed } from "./records-feeds.ts";

const { values } = parseArgs({
  options: { records: { type: "string", default: "1e6" }, feed: { type: "string", default: "households" } },
});
let n = Number(values.records);
const dir = mkdtempSync(join(tmpdir(), "gongfu-bench-records-"));
const catalog = defaultCatalog();
const counties = catalog.regions.filter((r) => r.level === "county").map((r) => r.code);
const households = parseRecordFeedSpec(BENCH_RECORD_FEED_YAML, "bench.yaml");
const householdDerivations = BENCH_DERIVATIONS_YAML.map((y, i) =>
  parseDerivation(y, `d${i}.yaml`, [households], catalog),
);
const other: BenchRecordFeed | undefined =
  values.feed === "registry"
    ? registryFeed(n, catalog)
    : values.feed === "stations"
      ? stationsFeed(Math.round(n / READINGS_PER_YEAR), catalog)
      : undefined;
const spec = other?.spec ?? households;
const derivations = other?.derivations ?? householdDerivations;
const inbox = join(dir, "inbox", spec.connector.path);

const writeFile = (name: string, rows: number, from: number): void =>
  writeHouseholds(join(inbox, name), rows, from, counties);

const logger = createLogger({ level: "warn" });
const warehousePath = join(dir, "gongfu.duckdb");
const base = await openWarehouse(warehousePath);
await syncCatalog(base.connection, catalog);
base.close();
const bus = createEmbeddedBus();
const topics = topicNames("bench");
const loader = await startRecordLoad({ bus, topics, specs: [spec], derivations, warehousePath, logger });
const ingest = () =>
  runRecordIngestOnce({
    specs: [spec],
    bus,
    topics,
    catalog,
    dropRoot: join(dir, "inbox"),
    stateDir: join(dir, "state"),
    logger,
    env: { GONGFU_PSEUDONYM_KEY: "bench-only-key-0123456789abcdef" },
  });
if (other) n = other.write(inbox);
else writeFile("all.csv", n, 0);
let t = performance.now();
await ingest();
const loadMs = performance.now() - t;
const c = loader.warehouse.connection;
t = performance.now();
await c.run("BEGIN TRANSACTION");
const { deriveCells, markAllCells } = await import("../load/records/derive-cells.ts");
const periods = await markAllCells(c, spec);
for (const d of derivations) await deriveCells(c, d, spec, periods, 999);
await c.run("COMMIT");
const fullMs = performance.now() - t;
if (other) writeLate(inbox, other);
else writeFile("late.csv", 1, n + 1);
t = performance.now();
await ingest();
const lateMs = performance.now() - t;
process.stdout.write(
  `${JSON.stringify({
    rows: n,
    ms: Math.round(loadMs),
    feed: values.feed,
    records: n,
    loadAndDeriveMs: Math.round(loadMs),
    recordsPerSecond: Math.round(n / (loadMs / 1000)),
    fullDerivationMs: Math.round(fullMs),
    lateRecordMs: Math.round(lateMs),
    cells: loader.stats.cells,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
await loader.runner.stop();
loader.warehouse.close();
rmSync(dir, { recursive: true, force: true });
