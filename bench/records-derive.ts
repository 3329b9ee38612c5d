// node bench/records-derive.ts [--records 1e6]: household records through record ingest, the record loader and two
// derivations (band share and Gini) in embedded mode, one process. Prints JSON: records/s from file to derived
// cells, a full re-derivation of every cell, a one-record late file, and peak RSS. Scenario `records-derive` of
// `npm run bench` (bench/run.ts); its last line gives `rows` and `ms` (file to derived cells) as run-child expects.
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

const { values } = parseArgs({ options: { records: { type: "string", default: "1e6" } } });
const n = Number(values.records);
const dir = mkdtempSync(join(tmpdir(), "gongfu-bench-records-"));
const catalog = defaultCatalog();
const counties = catalog.regions.filter((r) => r.level === "county").map((r) => r.code);
const spec = parseRecordFeedSpec(BENCH_RECORD_FEED_YAML, "bench.yaml");
const derivations = BENCH_DERIVATIONS_YAML.map((y, i) => parseDerivation(y, `d${i}.yaml`, [spec], catalog));
const writeFile = (name: string, rows: number, from: number): void =>
  writeHouseholds(join(dir, "inbox", "households", name), rows, from, counties);

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
writeFile("all.csv", n, 0);
let t = performance.now();
await ingest();
const loadMs = performance.now() - t;
const c = loader.warehouse.connection;
t = performance.now();
await c.run("BEGIN TRANSACTION");
await c.run(`CREATE OR REPLACE TEMP TABLE dirty_cell AS SELECT DISTINCT a.ancestor AS region_code, s._period AS period
  FROM (SELECT DISTINCT _region, _period FROM rec_bench_households) s JOIN region_ancestor a ON a.code = s._region`);
const { deriveCells } = await import("../load/records/derive-cells.ts");
for (const d of derivations) await deriveCells(c, d, spec, 999);
await c.run("COMMIT");
const fullMs = performance.now() - t;
writeFile("late.csv", 1, n + 1);
t = performance.now();
await ingest();
const lateMs = performance.now() - t;
process.stdout.write(
  `${JSON.stringify({
    rows: n,
    ms: Math.round(loadMs),
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
