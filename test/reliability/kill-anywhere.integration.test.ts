import { cpSync, mkdirSync, mkdtempSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateLongCsv, benchFeedSpec } from "../../bench/generate-input.ts";
import { REPO } from "../helpers/cli.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { compareSets, observationSet } from "./observation-set.ts";
import { evaluationSet } from "./evaluation-set.ts";
import { killAfter, runStage } from "./stage-process.ts";
import { seededRandom } from "./seeded-random.ts";
import { writeSection } from "./results-file.ts";

/** Kill points per stage: 5 in the normal suite, more for a soak (GONGFU_KILL_POINTS=20). */
const KILL_POINTS = Number(process.env["GONGFU_KILL_POINTS"] ?? 5);
const SEED = Number(process.env["GONGFU_KILL_SEED"] ?? 20251129);
const ROWS_PER_CHUNK = 2000;
const STAGES = ["ingest", "transform", "load"] as const;
/** The files' modification time is their vintage: fixed, so two runs publish the same vintages. */
const PUBLISHED = new Date("2026-01-15T00:00:00Z");

interface Workspace {
  data: string;
  feeds: string;
  /** Chunk files waiting to be dropped, one per round. */
  chunks: string[];
}

/** Feeds and K chunks of generated long-layout observations (plus the statistics-bureau sample in the first). */
async function prepare(rounds: number): Promise<Workspace> {
  const root = mkdtempSync(join(tmpdir(), "gongfu-kill-"));
  const data = join(root, "data");
  const feeds = join(root, "feeds");
  const staging = join(root, "staging");
  for (const dir of [join(data, "inbox", "stats-bureau"), join(data, "inbox", "bench"), feeds, staging])
    mkdirSync(dir, { recursive: true });
  cpSync(join(REPO, "feeds/stats-bureau-income.yaml"), join(feeds, "stats-bureau-income.yaml"));
  cpSync(join(REPO, "samples/feeds/stats-bureau/zj-income-2020-2024.csv"), join(data, "inbox/stats-bureau/income.csv"));
  writeFileSync(join(feeds, "bench.yaml"), benchFeedSpec("bench"));
  const chunks: string[] = [];
  for (let k = 0; k < rounds; k++) {
    const file = join(staging, `chunk-${k}.csv`);
    await generateLongCsv(file, ROWS_PER_CHUNK, 1000 + k);
    // A day apart, so a later chunk is a later vintage of the cells it shares with an earlier one.
    const published = new Date(PUBLISHED.getTime() + k * 86_400_000);
    utimesSync(file, published, published);
    chunks.push(file);
  }
  return { data, feeds, chunks };
}

function dropChunk(ws: Workspace, k: number): void {
  renameSync(ws.chunks[k]!, join(ws.data, "inbox", "bench", `chunk-${k}.csv`));
}

describe("kill anywhere (SIGKILL a stage at a random moment, restart, compare)", () => {
  it(`gives the same warehouse as an uninterrupted run after ${KILL_POINTS} kill points per stage`, {
    timeout: 1_800_000,
  }, async () => {
    const brokers = kafkaBrokers();
    const random = seededRandom(SEED);
    const argsFor = (ws: Workspace, prefix: string) => [
      "--kafka",
      brokers,
      "--topic-prefix",
      prefix,
      "--data",
      ws.data,
      "--feeds",
      ws.feeds,
    ];
    const stageArgs = (stage: (typeof STAGES)[number], base: string[]) =>
      stage === "ingest" ? [stage, ...base] : [stage, "--until-idle", ...base];
    const env = { GONGFU_INSTANCE_ID: "kill-test" };

    const clean = await prepare(KILL_POINTS);
    const cleanArgs = argsFor(clean, uniqueTopicPrefix("kill-clean"));
    for (let k = 0; k < KILL_POINTS; k++) dropChunk(clean, k);
    for (const stage of STAGES) await runStage(stageArgs(stage, cleanArgs), env);
    const expected = await observationSet(join(clean.data, "gongfu.duckdb"));
    expect(expected.length).toBeGreaterThan(0);
    const evaluate = (ws: Workspace) => [
      "evaluate",
      "--period",
      "2025",
      "--draws",
      "200",
      "--data",
      ws.data,
      "--feeds",
      ws.feeds,
    ];
    await runStage(evaluate(clean), env);
    const expectedEvaluation = await evaluationSet(join(clean.data, "gongfu.duckdb"));
    expect(expectedEvaluation.length).toBeGreaterThan(0);

    // Each round drops new work, then kills every stage once at a random moment and restarts it to completion.
    const faulty = await prepare(KILL_POINTS);
    const args = argsFor(faulty, uniqueTopicPrefix("kill-faulty"));
    const log: string[] = [];
    const survived: Record<string, { kills: number; midRun: number }> = Object.fromEntries(
      STAGES.map((s) => [s, { kills: 0, midRun: 0 }]),
    );
    for (let k = 0; k < KILL_POINTS; k++) {
      dropChunk(faulty, k);
      for (const stage of STAGES) {
        // 0.3-4 s after start: anywhere from connecting and joining the group to the middle of the work.
        const afterMs = Math.round(300 + random() * 3700);
        const { killedMidRun } = await killAfter(stageArgs(stage, args), env, afterMs);
        survived[stage]!.kills++;
        if (killedMidRun) survived[stage]!.midRun++;
        log.push(`round ${k + 1}: ${stage} killed at ${afterMs} ms${killedMidRun ? "" : " (had already finished)"}`);
        await runStage(stageArgs(stage, args), env);
      }
    }
    const actual = await observationSet(join(faulty.data, "gongfu.duckdb"));
    const diff = compareSets(expected, actual);

    // Evaluate: kill a forced recomputation at random moments, then run it to completion; the tables must match.
    survived["evaluate"] = { kills: 0, midRun: 0 };
    for (let k = 0; k < KILL_POINTS; k++) {
      const afterMs = Math.round(300 + random() * 3700);
      const { killedMidRun } = await killAfter([...evaluate(faulty), "--force"], env, afterMs);
      survived["evaluate"].kills++;
      if (killedMidRun) survived["evaluate"].midRun++;
      log.push(`evaluate killed at ${afterMs} ms${killedMidRun ? "" : " (had already finished)"}`);
    }
    await runStage(evaluate(faulty), env);
    const evaluation = await evaluationSet(join(faulty.data, "gongfu.duckdb"));

    await writeSection(
      "kill-anywhere",
      [
        "## Kill anywhere",
        "",
        `Seed ${SEED}. ${KILL_POINTS} rounds; each drops ${ROWS_PER_CHUNK} new observations, then SIGKILLs ingest, transform and load in turn at a random moment (0.3-4 s after start) and restarts each to completion, on a real broker, with each stage a separate process. Then \`gongfu evaluate --period 2025 --force\` is killed at random moments and finally run to completion.`,
        "",
        "| stage | kill points | killed while running |",
        "|---|---:|---:|",
        ...Object.entries(survived).map(([s, v]) => `| ${s} | ${v.kills} | ${v.midRun} |`),
        "",
        `Result: ${actual.length} observations in the warehouse against ${expected.length} in an uninterrupted run: ${diff.lost} lost, ${diff.duplicated} duplicated, ${diff.unexpected} unexpected.`,
        `Evaluation of 2025 after ${KILL_POINTS} killed forced recomputations: ${evaluation.length} rows in the eval_* tables, ${evaluation.join("\n") === expectedEvaluation.join("\n") ? "identical to" : "DIFFERENT from"} the uninterrupted run's ${expectedEvaluation.length} (timestamps and attempt counts left out).`,
      ].join("\n"),
    );
    expect(diff, log.join("\n")).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(evaluation).toEqual(expectedEvaluation);
  });
});
