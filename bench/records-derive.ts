// node bench/records-derive.ts [--records 1e6] [--feed households|registry|stations]: records through record
// ingest, the record loader and their derivations in embedded mode, one process. `households` (the default): the
// bench's own households, a band share and a Gini. `registry`: about N events of the sample market registry
// (samples/generate, at the share that gives N) and the live count at year-ends. `stations`: every station's hourly
// PM2.5 for round(N / 896k) years (1 to 5) and the mean and good-day share. Prints JSON: records/s from file to
// derived cells, a full re-derivation of every cell, a late file (one record; for stations one station-day), and
// peak RSS. Scenarios `records-derive`, `records-registry` and `records-stations` of `npm run bench` (bench/run.ts);
// its last line gives `rows` and `ms` (file to derived cells) as run-child expects.
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createEmbeddedBus } from "../bus/index.ts";
import { runRecordIngestOnce } from "../ingest/index.ts";
import { openWarehouse, startRecordLoad, syncCatalog } from "../load/index.ts";
import { createLogger } from "../runtime/logger.ts";
import { defaultCatalog, parseDerivation, parseRecordFeedSpec, topicNames } from "../schemas/index.ts";
import { READINGS_PER_YEAR, registryFeed, stationsFeed, writeLate, type BenchRecordFeed } from "./records-feeds.ts";

const { values } = parseArgs({
  options: { records: { type: "string", default: "1e6" }, feed: { type: "string", default: "households" } },
});
let n = Number(values.records);
const dir = mkdtempSync(join(tmpdir(), "gongfu-bench-records-"));
const catalog = defaultCatalog();
const counties = catalog.regions.filter((r) => r.level === "county").map((r) => r.code);
const households = parseRecordFeedSpec(
  `id: bench-households
name: bench
department: { code: bench, name: bench }
connector: { kind: file-drop, path: households, pattern: "*.csv" }
format: { kind: csv }
records:
  columns:
    household_id: { type: string, personal: identifier }
    county_code: { type: region }
    survey_year: { type: integer }
    income: { type: number, personal: attribute }
  key: [household_id]
  region: county_code
  eventTime: survey_year
frequency: annual
vintage: { published: 2025-01-10 }
`,
  "bench.yaml",
);
const householdDerivations = [
  "measure: { kind: share_in_band, column: income, min: 100000, max: 500000 }",
  "measure: { kind: gini, column: income }",
].map((m, i) =>
  parseDerivation(
    `id: bench-${i}\nindicator: households_100k_500k_share\nrecords: bench-households\n${m}\n`,
    "d.yaml",
    [households],
    catalog,
  ),
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

/** Writes the households in pieces: the generator must not hold the file, or it would count in the peak RSS. */
function writeFile(name: string, rows: number, from: number): void {
  const folder = inbox;
  mkdirSync(folder, { recursive: true });
  const fd = openSync(join(folder, name), "w");
  let seed = 7 + from;
  let lines = ["household_id,county_code,survey_year,income"];
  for (let i = 0; i < rows; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const u = seed / 2 ** 31;
    const k = from + i;
    lines.push(
      `HH-${k},${counties[k % counties.length]},${2020 + (k % 5)},${Math.round(Math.exp(11.8 + 1.3 * (u - 0.5)))}`,
    );
    if (lines.length >= 10_000) {
      writeSync(fd, `${lines.join("\n")}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) writeSync(fd, `${lines.join("\n")}\n`);
  closeSync(fd);
}

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
const { recordTable } = await import("../load/records/record-table.ts");
await markAllCells(c, recordTable(spec.id));
for (const d of derivations) await deriveCells(c, d, spec, 999);
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
