import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCatalog, topicNames, type DeadLetter, type Observation } from "../../schemas/index.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { withWarehouse } from "../helpers/duckdb.ts";
import { keyAsText } from "../../load/lake-layout.ts";
import {
  createLoadTopics,
  deadLetterMessage,
  loadUntilIdle,
  observationMessage,
  produce,
  startLoader,
} from "./kafka-fixtures.ts";
import { observation, tempDir } from "./fixtures.ts";

/** 40 regions × 8 periods × 4 indicators, every tenth cell revised by a later vintage. */
function dataset(): { cells: Observation[]; revisions: Observation[] } {
  const catalog = defaultCatalog();
  const regions = catalog.regions.slice(0, 40).map((r) => r.code);
  const indicators = catalog.indicators.slice(0, 4).map((i) => i.code);
  const periods = ["2020", "2021", "2022", "2023", "2024", "2024Q1", "2024Q2", "2025-01"];
  const cells: Observation[] = [];
  for (const indicator of indicators)
    for (const region of regions)
      for (const period of periods) {
        cells.push(
          observation({
            indicator,
            region,
            period,
            value: cells.length * 1.5,
            source: { feed: "crash-test", uri: `${indicator}.csv`, position: { line: cells.length + 2 } },
          }),
        );
      }
  const revisions = cells
    .filter((_, i) => i % 10 === 0)
    .map((o) => ({
      ...o,
      value: o.value + 0.25,
      vintage: "2024-06-30T00:00:00.000Z",
      ingestedAt: "2024-07-01T00:00:00.000Z",
    }));
  return { cells, revisions };
}

const deadLetters: DeadLetter[] = [1, 2, 3, 4, 5].map((line) => ({
  stage: "transform",
  feed: "crash-test",
  source: { feed: "crash-test", uri: "bad.csv", position: { line } },
  payload: { raw: `row ${line}` },
  reasons: [{ code: "unknown_region", message: "no such region" }],
  at: "2024-02-01T00:00:00.000Z",
}));

/** Everything a row is, except when this run happened to write it. */
const FACT_ROWS = `SELECT * EXCLUDE (loaded_at) REPLACE (${keyAsText("obs_key")} AS obs_key) FROM fact_observation ORDER BY obs_key`;
const QUARANTINE_ROWS =
  `SELECT * EXCLUDE (loaded_at, failed_at) REPLACE (${keyAsText("dl_key")} ` +
  `AS dl_key) FROM quarantine ORDER BY dl_key`;
const POSITIONS = "SELECT topic, partition, next_offset FROM _kafka_offsets ORDER BY ALL";
const LATEST = "SELECT indicator_code, region_code, period, value FROM obs_latest ORDER BY ALL";

async function snapshot(dataDir: string) {
  return withWarehouse(join(dataDir, "gongfu.duckdb"), async (q) => ({
    facts: await q(FACT_ROWS),
    quarantine: await q(QUARANTINE_ROWS),
    positions: await q(POSITIONS),
    latest: await q(LATEST),
  }));
}

describe("the loader, killed mid-stream and restarted", () => {
  it("ends with the same rows as an uninterrupted run: none lost, none doubled", async () => {
    const brokers = kafkaBrokers();
    const prefix = uniqueTopicPrefix("load-crash");
    const topics = topicNames(prefix);
    await createLoadTopics(brokers, topics);
    const { cells, revisions } = dataset();
    const messages = cells.map(observationMessage);
    // Half through transactions (commit markers take offsets), half not; then revisions, re-sent records and junk.
    await produce(brokers, topics.observations, messages.slice(0, 640), { transactional: true, chunk: 64 });
    await produce(brokers, topics.observations, messages.slice(640), { transactional: false });
    await produce(
      brokers,
      topics.observations,
      [...revisions.map(observationMessage), ...messages.filter((_, i) => i % 13 === 0)],
      { transactional: true, chunk: 50 },
    );
    await produce(
      brokers,
      topics.observations,
      [1, 2, 3].map((i) => ({ key: `junk-${i}`, value: JSON.stringify({ indicator: "x", value: "not a number" }) })),
      { transactional: false },
    );
    await produce(brokers, topics.dlqTransform, deadLetters.map(deadLetterMessage), { transactional: false });

    const common = ["--kafka", brokers, "--topic-prefix", prefix];
    const reference = tempDir("load-reference");
    await loadUntilIdle([...common, "--data", reference, "--group-id", `${prefix}-reference`], {});
    const expected = await snapshot(reference);
    expect(expected.facts).toHaveLength(cells.length + revisions.length);
    expect(expected.quarantine).toHaveLength(deadLetters.length + 3);

    // Small batches and an export after each, so kills land in appends, commits and Parquet publishes alike.
    const crashed = tempDir("load-crashed");
    const env = {
      GONGFU_LOAD_MERGE_ROWS: "25",
      GONGFU_PARQUET_INTERVAL_MS: "0",
      GONGFU_LOAD_SESSION_TIMEOUT_MS: "6000",
    };
    const crashArgs = [...common, "--data", crashed, "--group-id", `${prefix}-crashed`];
    const killPoints = [
      { batches: 2, delayMs: 0 },
      { batches: 9, delayMs: 7 },
      { batches: 5, delayMs: 23 },
      { batches: 14, delayMs: 41 },
    ];
    const killedAt: number[] = [];
    for (const point of killPoints) {
      const loader = startLoader([...crashArgs, "--until-idle"], env);
      await loader.untilBatches(point.batches);
      await new Promise((r) => setTimeout(r, point.delayMs));
      loader.child.kill("SIGKILL");
      expect(await loader.exited, loader.output()).toBe("SIGKILL");
      killedAt.push(loader.batches());
    }
    expect(killedAt.every((n, i) => n >= killPoints[i]!.batches)).toBe(true);
    // Every kill was mid-stream: after them the warehouse still lacks rows.
    const before = await withWarehouse(join(crashed, "gongfu.duckdb"), (q) =>
      q("SELECT count(*)::INTEGER AS n FROM fact_observation"),
    );
    expect(before[0]!["n"]).toBeLessThan(expected.facts.length);
    await loadUntilIdle(crashArgs, env);
    expect(await snapshot(crashed)).toEqual(expected);

    // The lake the crashed loader published holds exactly the warehouse's rows.
    const lakeRows = await withWarehouse(join(crashed, "bi.duckdb"), (q) =>
      q("SELECT * EXCLUDE (loaded_at, year) FROM fact_observation ORDER BY obs_key"),
    );
    expect(lakeRows.map((r) => r["obs_key"])).toEqual(expected.facts.map((r) => r["obs_key"]));

    // A new warehouse under a group whose Kafka offsets are at the end still gets everything: the warehouse decides.
    const fresh = tempDir("load-fresh");
    await loadUntilIdle([...common, "--data", fresh, "--group-id", `${prefix}-crashed`], env);
    expect(await snapshot(fresh)).toEqual(expected);
  }, 300_000);
});
