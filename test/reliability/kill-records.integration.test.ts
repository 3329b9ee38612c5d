import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { compareSets, observationSet } from "./observation-set.ts";
import { killAfter, killAfterLine, runStage } from "./stage-process.ts";
import { seededRandom } from "./seeded-random.ts";
import { writeSection } from "./results-file.ts";
import {
  derivedCellSet,
  dropRecordChunk,
  RECORDS_PER_CHUNK,
  recordFilesLoaded,
  writeRecordFeed,
} from "./record-chunks.ts";

/**
 * Kill points of the loader while it loads record batches and derives their cells: 3 in the normal suite (CI's time
 * is bounded), more for a soak (GONGFU_KILL_POINTS=20, which sets the observation suite's too).
 */
const KILL_POINTS = Number(process.env["GONGFU_KILL_POINTS"] ?? 3);
const SEED = Number(process.env["GONGFU_KILL_SEED"] ?? 20251207);
/** An aimed kill comes at most this long after the record batches arrive: appending, deriving and committing a round's. */
const AIMED_DELAY_MS = 1000;
const PUBLISHED = new Date("2026-01-15T00:00:00Z");
const env = { GONGFU_INSTANCE_ID: "kill-records", GONGFU_PSEUDONYM_KEY: "kill-test-only-key-0123456789abcdef" };

function prepare() {
  const root = mkdtempSync(join(tmpdir(), "gongfu-kill-records-"));
  const ws = { data: join(root, "data"), feeds: join(root, "feeds"), staging: join(root, "staging") };
  for (const dir of [ws.data, ws.feeds, ws.staging]) mkdirSync(dir, { recursive: true });
  writeRecordFeed(ws.feeds);
  return ws;
}

describe("kill anywhere, record feeds (SIGKILL load inside record batches and derivations, restart, compare)", () => {
  it(`gives the derived cells and observations of an uninterrupted run after ${KILL_POINTS} kills of load`, {
    timeout: 1_800_000,
  }, async () => {
    const brokers = kafkaBrokers();
    const random = seededRandom(SEED);
    const started = Date.now();
    const args = (ws: { data: string; feeds: string }, prefix: string) => [
      ...["--kafka", brokers, "--topic-prefix", prefix, "--data", ws.data, "--feeds", ws.feeds, "--no-metrics"],
    ];
    const faulty = prepare();
    const base = args(faulty, uniqueTopicPrefix("kill-rec-faulty"));
    const warehouse = join(faulty.data, "gongfu.duckdb");
    // When to kill: a moment in the later half of a window that follows how long load runs on this machine now
    // (the observation suite's rule), so the kills land inside the loader's run whatever the load.
    let window = 8000;
    let midRun = 0;
    let insideRecords = 0;
    let rounds = 0;
    const log: string[] = [];
    while (midRun < KILL_POINTS && rounds < KILL_POINTS * 3) {
      dropRecordChunk(
        faulty.staging,
        join(faulty.data, "inbox"),
        rounds,
        new Date(PUBLISHED.getTime() + rounds * 86_400_000),
      );
      await runStage(["ingest", ...base], env);
      // Every other round aims at the record work itself: the kill comes a random moment after the loader says it
      // has record batches in hand (appending them, deriving their cells, committing); the others fall anywhere in
      // the later half of the run, as in the observation suite.
      const aimed = rounds % 2 === 0;
      const at = aimed
        ? Math.round(random() * AIMED_DELAY_MS)
        : Math.max(250, Math.round(window * (0.5 + 0.5 * random())));
      const loadArgs = ["load", "--until-idle", ...base];
      const { killedMidRun } = aimed
        ? await killAfterLine(loadArgs, { ...env, GONGFU_LOG_LEVEL: "debug" }, /record batches received/, at)
        : await killAfter(loadArgs, env, at);
      // A killed transaction leaves nothing of itself: fewer files committed than dropped means the kill landed in
      // the round's record work (a batch being appended, its cells being derived) or before it.
      const inside = killedMidRun && (await recordFilesLoaded(warehouse)) < rounds + 1;
      if (killedMidRun) midRun++;
      if (inside) insideRecords++;
      if (!aimed) window = killedMidRun ? Math.min(60_000, window * 1.15) : Math.max(500, at * 0.75);
      const when = aimed ? `${at} ms after its record batches arrived` : `at ${at} ms`;
      log.push(
        `round ${rounds + 1}: load killed ${when}${killedMidRun ? (inside ? " (in record work)" : "") : " (had finished)"}`,
      );
      await runStage(["load", "--until-idle", ...base], env);
      rounds++;
    }
    const actual = await observationSet(warehouse);
    const actualCells = await derivedCellSet(warehouse);

    const clean = prepare();
    const cleanArgs = args(clean, uniqueTopicPrefix("kill-rec-clean"));
    for (let k = 0; k < rounds; k++)
      dropRecordChunk(clean.staging, join(clean.data, "inbox"), k, new Date(PUBLISHED.getTime() + k * 86_400_000));
    await runStage(["ingest", ...cleanArgs], env);
    await runStage(["load", "--until-idle", ...cleanArgs], env);
    const expected = await observationSet(join(clean.data, "gongfu.duckdb"));
    const expectedCells = await derivedCellSet(join(clean.data, "gongfu.duckdb"));
    const diff = compareSets(expected, actual);
    const cellDiff = compareSets(expectedCells, actualCells);
    const suppressed = expectedCells.filter((l) => l.includes("|true|")).length;

    await writeSection(
      KILL_POINTS === 3 ? "kill-records" : "kill-records-soak",
      [
        `## Kill anywhere, record feeds${KILL_POINTS === 3 ? "" : ` (soak, GONGFU_KILL_POINTS=${KILL_POINTS})`}`,
        "",
        `Seed ${SEED}, ${((Date.now() - started) / 60_000).toFixed(1)} min. ${rounds} rounds; each drops`,
        `${RECORDS_PER_CHUNK.toLocaleString("en-US")} household records of a year of their own (two record batches) for`,
        "a record feed with a band share and a Gini at all three levels, runs `gongfu ingest`, then SIGKILLs",
        "`gongfu load --until-idle` and runs it again to completion, on a real broker. Every other kill is aimed: a",
        `random moment up to ${AIMED_DELAY_MS} ms after the loader has the round's record batches in hand; the`,
        "others fall in the later half of its run.",
        `${midRun} kills landed while load ran, ${insideRecords} of them before the round's record file was committed`,
        "(in its batches, its derivation, or before them).",
        "",
        `Result: ${actualCells.length} derived cells against ${expectedCells.length} in an uninterrupted run`,
        `(${suppressed} suppressed): ${cellDiff.lost} lost, ${cellDiff.duplicated} duplicated, ${cellDiff.unexpected}`,
        `different; ${actual.length} observations against ${expected.length}: ${diff.lost} lost, ${diff.duplicated}`,
        `duplicated, ${diff.unexpected} unexpected.`,
      ].join("\n"),
    );
    expect(expectedCells.length).toBeGreaterThan(0);
    expect(suppressed).toBeGreaterThan(0);
    expect(cellDiff, log.join("\n")).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(diff, log.join("\n")).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(midRun, log.join("\n")).toBeGreaterThanOrEqual(KILL_POINTS);
  });
});
