import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { compareSets, observationSet } from "./observation-set.ts";
import { runStage, startStage, type StageProcess } from "./stage-process.ts";
import { writeSection } from "./results-file.ts";
import { freePort, ownBroker, type OwnBroker } from "./faults/own-broker.ts";
import { prepareWorkspace, type Workspace } from "./faults/workspace.ts";
import { readyz, waitUntil } from "./faults/probes.ts";
import { startBiReader } from "./faults/bi-reader.ts";

const CHUNKS = 6;
const ROWS = 4000;
/** Chunks waiting when the stages start (broker down); the rest arrive just before the broker restart. */
const EARLY = 2;
const DAEMONS = ["ingest", "transform", "load"] as const;

function stageArgs(
  stage: (typeof DAEMONS)[number],
  ws: Workspace,
  brokers: string,
  prefix: string,
  port?: number,
): string[] {
  const base = ["--kafka", brokers, "--topic-prefix", prefix, "--data", ws.data, "--feeds", ws.feeds];
  const metrics = port === undefined ? [] : ["--metrics-port", String(port)];
  if (stage === "ingest")
    return port === undefined
      ? [stage, ...base]
      : [stage, "--watch", "--rescan-seconds", "1", "--settle-ms", "200", ...base, ...metrics];
  return port === undefined ? [stage, "--until-idle", ...base] : [stage, ...base, ...metrics];
}

/** The same chunks through the same stages on the shared broker, uninterrupted. */
async function uninterrupted(): Promise<string[]> {
  const ws = await prepareWorkspace("broker-clean", CHUNKS, ROWS);
  for (let k = 0; k < CHUNKS; k++) ws.drop(k);
  const prefix = uniqueTopicPrefix("faults-clean");
  for (const stage of DAEMONS)
    await runStage(stageArgs(stage, ws, kafkaBrokers(), prefix), { GONGFU_INSTANCE_ID: "faults" });
  return observationSet(join(ws.data, "gongfu.duckdb"));
}

describe("broker faults (a broker of the test's own, stopped and started under running stages)", () => {
  let broker: OwnBroker | undefined;
  let brokerUp = false;
  const running: StageProcess[] = [];
  afterAll(async () => {
    for (const p of running) p.child.kill("SIGKILL");
    if (brokerUp) await broker?.stop();
  }, 90_000);

  it("stages wait not-ready while the broker is down at start, then process; a broker restart mid-stream loses and doubles nothing", {
    timeout: 300_000,
  }, async () => {
    const expectedRun = uninterrupted();
    expectedRun.catch(() => {});
    broker = await ownBroker();
    const ws = await prepareWorkspace("broker", CHUNKS, ROWS);
    for (let k = 0; k < EARLY; k++) ws.drop(k);
    const prefix = uniqueTopicPrefix("faults-broker");
    const ports = { ingest: await freePort(), transform: await freePort(), load: await freePort() };
    // Small merges, each published at once, so the broker stop lands while the new files are still being loaded.
    const env = { GONGFU_INSTANCE_ID: "faults", GONGFU_PARQUET_INTERVAL_MS: "0", GONGFU_LOAD_MERGE_ROWS: "500" };
    const stages = Object.fromEntries(
      DAEMONS.map((s) => [s, startStage(stageArgs(s, ws, broker!.brokers, prefix, ports[s]), env)]),
    ) as Record<(typeof DAEMONS)[number], StageProcess>;
    running.push(...Object.values(stages));
    const outputs = () => DAEMONS.map((s) => `--- ${s}:\n${stages[s].output().slice(-3000)}`).join("\n");
    const allStatus = async () => Promise.all(DAEMONS.map(async (s) => (await readyz(ports[s])).status));
    const reader = startBiReader(join(ws.data, "bi.duckdb"), ws.root);

    // 1. Broker down at start: every daemon serves /readyz 503, says why, and stays up.
    await waitUntil(
      async () => (await allStatus()).every((s) => s === 503),
      "every stage to answer /readyz with 503",
      60_000,
      outputs,
    );
    await sleep(6000);
    const downAtStart = await allStatus();
    expect(downAtStart, outputs()).toEqual([503, 503, 503]);
    for (const s of DAEMONS) {
      expect(stages[s].child.exitCode, `${s} exited while the broker was down:\n${outputs()}`).toBeNull();
      expect(
        (stages[s].output().match(/waiting for Kafka: broker unreachable, not ready/g) ?? []).length,
        `${s} logs each attempt`,
      ).toBeGreaterThanOrEqual(2);
    }
    const startedAt = Date.now();
    await broker.start();
    brokerUp = true;
    const readyAfterStart = await waitUntil(
      async () => (await allStatus()).every((s) => s === 200),
      "every stage to become ready once the broker is up",
      90_000,
      outputs,
    );
    await waitUntil(
      () => reader.latest() === EARLY * ROWS,
      `bi.duckdb to show the ${EARLY * ROWS} early observations`,
      90_000,
      outputs,
    );
    const processedAfterStart = Date.now() - startedAt;

    // 2. Broker restart mid-stream: new files arrive, and the broker goes away while they flow.
    for (let k = EARLY; k < CHUNKS; k++) ws.drop(k);
    await waitUntil(() => reader.latest() > EARLY * ROWS, "the loader to start on the new files", 60_000, outputs);
    const loadedAtStop = reader.latest();
    await broker.stop();
    brokerUp = false;
    await sleep(3000);
    const whileDown = await allStatus();
    await broker.start();
    brokerUp = true;
    await waitUntil(
      () => reader.latest() === CHUNKS * ROWS,
      `bi.duckdb to show all ${CHUNKS * ROWS} observations after the restart`,
      150_000,
      outputs,
    );
    for (const s of DAEMONS)
      expect(stages[s].child.exitCode, `${s} exited during the restart:\n${outputs()}`).toBeNull();
    const bi = await reader.stop();
    for (const s of DAEMONS) stages[s].child.kill("SIGTERM");
    const exits = await Promise.all(DAEMONS.map((s) => stages[s].exited));

    const expected = await expectedRun;
    const actual = await observationSet(join(ws.data, "gongfu.duckdb"));
    const diff = compareSets(expected, actual);
    await writeSection(
      "faults-broker",
      [
        "## Faults: broker down at start, broker restart",
        "",
        `ingest --watch, transform and load run as separate daemons against a Kafka broker of the ` +
          `test's own (scripts/kafka-local on free ports). ${CHUNKS} files of ${ROWS} ` +
          `observations; a BI reader process queries bi.duckdb in a loop throughout.`,
        "",
        "| fault | outcome |",
        "|---|---|",
        `| broker down when the stages start | /readyz ${downAtStart.join(", ")} (ingest, ` +
          `transform, load), again 6 s later, none exited; ready ${Math.round(readyAfterStart / 1000)} ` +
          `s after the broker came up, the waiting files loaded ${Math.round(processedAfterStart / 1000)} ` +
          `s after its start began |`,
        `| broker stopped (SIGTERM) mid-stream, restarted on the same port and data | ${loadedAtStop} ` +
          `of ${CHUNKS * ROWS} observations loaded at the stop; /readyz while down ${whileDown.join(", ")}; ` +
          `all stages reconnected without a restart; exit codes after SIGTERM ${exits.join(", ")} |`,
        `| BI reader during both | ${bi.queries} queries, ${bi.failed.length} failed, ${bi.inconsistent.length} ` +
          `saw a partial or doubled file |`,
        "",
        `Result: ${actual.length} observations against ${expected.length} in an uninterrupted ` +
          `run: ${diff.lost} lost, ${diff.duplicated} duplicated, ${diff.unexpected} unexpected.`,
      ].join("\n"),
    );
    expect(loadedAtStop, "the broker stopped before the new files were all loaded").toBeLessThan(CHUNKS * ROWS);
    expect(whileDown).toEqual([503, 503, 503]);
    expect(exits).toEqual([0, 0, 0]);
    expect(bi).toMatchObject({ failed: [], inconsistent: [] });
    expect(diff).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
  });
});
