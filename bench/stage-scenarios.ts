// One benchmark scenario per process, so each gets a clean heap and its own peak RSS: node bench/stage-scenarios.ts
// <scenario> <csv> [<dir>]
import { createReadStream, statSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import { produceSource, readRows } from "../ingest/index.ts";
import { normalizeBatch } from "../transform/index.ts";
import { createEmbeddedBus } from "../bus/index.ts";
import { startLoad } from "../load/index.ts";
import {
  createRegionResolver,
  defaultCatalog,
  type ObservationBatch,
  parseFeedSpec,
  type RawBatch,
  rawBatchOf,
  topicNames,
} from "../schemas/index.ts";
import { silentLogger } from "../runtime/logger.ts";
import { benchFeedSpec } from "./generate-input.ts";
import { evaluationScenario } from "./evaluation-scenario.ts";
import { runSqlBaseline } from "./sql-baseline.ts";

const [scenario, csv, dir] = process.argv.slice(2) as [string, string, string | undefined];
const spec = parseFeedSpec(benchFeedSpec("bench"), "bench.yaml");
const catalog = defaultCatalog();
const started = performance.now();
let rows = 0;

/**
 * The file as ingest hands it on: its raw batches, made by ingest's own produce path (DuckDB's read_csv for a
 * plain CSV file like this one, see docs/BATCHES.md), each handed to `use` as the embedded bus delivers it.
 */
async function forEachRawBatch(use: (raw: RawBatch) => Promise<void> | void): Promise<void> {
  const bus = createEmbeddedBus();
  const topics = topicNames("bench-raw");
  await bus.runSink({
    groupId: "bench",
    topics: [topics.raw(spec.id)],
    handle: async (delivered) => {
      for (const d of delivered) {
        const raw = rawBatchOf(d.value, d.headers);
        if (raw) await use(raw);
      }
    },
    storedPositions: async () => [],
  });
  const unit = {
    uri: "bench.csv",
    checksum: "0".repeat(64),
    bytes: statSync(csv).size,
    publishedAt: "2026-01-01T00:00:00.000Z",
    open: () => createReadStream(csv),
    path: csv,
  };
  const deps = { bus, topics, now: () => new Date("2026-01-02T00:00:00.000Z"), logger: silentLogger() };
  await produceSource(spec, unit, deps);
  await bus.close();
}

if (scenario === "duckdb-read-csv") {
  // The practical ceiling: DuckDB's own parallel CSV reader into a table shaped like fact_observation.
  const db = await DuckDBInstance.create(`${dir}/limit.duckdb`);
  const c = await db.connect();
  await c.run(
    `CREATE TABLE fact AS SELECT "地区代码" AS region_code, "指标" AS indicator_code, "时期" AS ` +
      `period, CAST("数值" AS DOUBLE) AS value, "单位" AS unit, now() AS vintage FROM read_csv('${csv}', header = true, all_varchar = true)`,
  );
  rows = Number((await c.runAndReadAll("SELECT count(*) AS n FROM fact")).getRowObjects()[0]!["n"]);
  c.closeSync();
} else if (scenario === "sql-baseline") {
  // What a data engineer would write by hand in DuckDB SQL (bench/sql-baseline.sql), into an on-disk warehouse:
  // timed from opening the file to closing it, so the facts are on disk when the clock stops.
  const db = await DuckDBInstance.create(`${dir}/baseline.duckdb`);
  const c = await db.connect();
  const loaded = await runSqlBaseline(c, { inputCsv: csv, sourceFeed: spec.id });
  // The bench input is all valid: a row in quarantine means the SQL (or the generator) is wrong, not slow.
  if (loaded.quarantined > 0) throw new Error(`sql-baseline quarantined ${loaded.quarantined} rows of ${csv}`);
  rows = loaded.facts;
  c.closeSync();
  db.closeSync();
} else if (scenario === "evaluate-full" || scenario === "sensitivity-1000") {
  // Scenario (d) does not read the CSV: it builds its own 102 regions × all indicators × 72 months warehouse.
  const timed = await evaluationScenario(scenario, `${dir}/eval.duckdb`);
  process.stdout.write(`${JSON.stringify(timed)}\n`);
  process.exit(0);
} else if (scenario === "parse-csv") {
  for await (const row of readRows(createReadStream(csv), spec)) if (row.ok) rows++;
} else if (scenario === "normalize") {
  const regions = createRegionResolver(catalog.regions);
  await forEachRawBatch((raw) => {
    rows += normalizeBatch(raw, { spec, catalog, regions, ingestedAt: raw.receivedAt }).observations.rows;
  });
} else if (scenario === "duckdb-load") {
  // Load alone: observations are made up front-free (streamed from the same normalisation) but only loading is timed separately below.
  const bus = createEmbeddedBus();
  const topics = topicNames("bench");
  // The lake is left out: this is the warehouse write beside read_csv's table (embedded-e2e includes the lake).
  const load = await startLoad({
    bus,
    topics,
    catalog,
    warehousePath: `${dir}/load.duckdb`,
    logger: silentLogger(),
    settings: { lake: false },
  });
  const regions = createRegionResolver(catalog.regions);
  let loadMs = 0;
  const publish = async (batch: ObservationBatch) => {
    const t = performance.now();
    await bus.publish(topics.observations, [{ key: `${batch.feed}|${batch.seq}`, value: batch }]);
    loadMs += performance.now() - t;
    rows += batch.rows;
  };
  await forEachRawBatch((raw) =>
    publish(normalizeBatch(raw, { spec, catalog, regions, ingestedAt: raw.receivedAt }).observations),
  );
  // The loader stages rows and merges a row group at a time, in the background: stopping merges the rest.
  const stopping = performance.now();
  await load.runner.stop();
  loadMs += performance.now() - stopping;
  load.warehouse.close();
  process.stdout.write(`${JSON.stringify({ rows, ms: loadMs })}\n`);
  process.exit(0);
} else {
  throw new Error(`unknown scenario ${scenario}`);
}
process.stdout.write(`${JSON.stringify({ rows, ms: performance.now() - started })}\n`);
