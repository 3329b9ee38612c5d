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

/**
 * When to kill: inside the stage's work, 10-70 % of the way from the time an idle run of it takes (start, connect,
 * find nothing) to the time this round's work took uninterrupted; within 10-70 % of the whole run when the work
 * itself is shorter than 300 ms. Never before 250 ms.
 */
function killMoment(tookMs: number, idleMs: number, r: number): number {
  const work = tookMs - idleMs;
  const at = work >= 300 ? idleMs + work * (0.1 + 0.6 * r) : tookMs * (0.1 + 0.6 * r);
  return Math.max(250, Math.round(at));
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

    // The uninterrupted run goes round by round as the faulty one does, timing each stage's run: a kill is then placed
    // inside the time the same work took there, so it lands while the stage is running rather than after it finished.
    const suiteStart = Date.now();
    const clean = await prepare(KILL_POINTS);
    const cleanArgs = argsFor(clean, uniqueTopicPrefix("kill-clean"));
    const took: Record<string, number[]> = Object.fromEntries([...STAGES, "evaluate"].map((s) => [s, []]));
    const timed = async (stage: string, stageArgv: string[]) => {
      const started = performance.now();
      await runStage(stageArgv, env);
      took[stage]!.push(performance.now() - started);
    };
    for (let k = 0; k < KILL_POINTS; k++) {
      dropChunk(clean, k);
      for (const stage of STAGES) await timed(stage, stageArgs(stage, cleanArgs));
    }
    // The same stages once more with nothing new to do: how long starting, connecting and finding no work takes.
    const idle: Record<string, number> = {};
    for (const stage of STAGES) {
      const started = performance.now();
      await runStage(stageArgs(stage, cleanArgs), env);
      idle[stage] = performance.now() - started;
    }
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
    await timed("evaluate", [...evaluate(clean), "--force"]);
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
        // Anywhere in the first 15-75 % of the time this round's work took uninterrupted: from starting and
        // connecting to the middle of the work, leaving room for a machine that runs faster this time.
        const afterMs = killMoment(took[stage]![k]!, idle[stage] ?? 0, random());
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
      const afterMs = killMoment(took["evaluate"]![0]!, 0, random());
      const { killedMidRun } = await killAfter([...evaluate(faulty), "--force"], env, afterMs);
      survived["evaluate"].kills++;
      if (killedMidRun) survived["evaluate"].midRun++;
      log.push(`evaluate killed at ${afterMs} ms${killedMidRun ? "" : " (had already finished)"}`);
    }
    await runStage(evaluate(faulty), env);
    const evaluation = await evaluationSet(join(faulty.data, "gongfu.duckdb"));

    const soak = KILL_POINTS !== 5;
    const minutes = ((Date.now() - suiteStart) / 60_000).toFixed(1);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    await writeSection(
      soak ? "kill-anywhere-soak" : "kill-anywhere",
      [
        soak
          ? `## Kill anywhere, soak (GONGFU_KILL_POINTS=${KILL_POINTS}, run ${new Date().toISOString().slice(0, 10)}, ${minutes} min)`
          : "## Kill anywhere",
        "",
        `Seed ${SEED}. ${KILL_POINTS} rounds; each drops ${ROWS_PER_CHUNK} new observations, then SIGKILLs ingest, transform and load in turn and restarts each to completion, on a real broker, with each stage a separate process. Then \`gongfu evaluate --period 2025 --force\` is killed and finally run to completion. Each kill lands at a random moment inside the stage's work: 10-70 % of the way from the time an idle run of the stage takes (starting, connecting, finding nothing) to the time the same round took in an uninterrupted run done round by round first, so it strikes while the stage runs rather than after it finished.`,
        "",
        "| stage | kill points | killed while running | median uninterrupted run | idle run |",
        "|---|---:|---:|---:|---:|",
        ...Object.entries(survived).map(
          ([s, v]) =>
            `| ${s} | ${v.kills} | ${v.midRun} | ${(median(took[s] ?? []) / 1000).toFixed(1)} s | ${idle[s] === undefined ? "—" : `${(idle[s] / 1000).toFixed(1)} s`} |`,
        ),
        "",
        `Result: ${actual.length} observations in the warehouse against ${expected.length} in an uninterrupted run: ${diff.lost} lost, ${diff.duplicated} duplicated, ${diff.unexpected} unexpected.`,
        `Evaluation of 2025 after ${KILL_POINTS} killed forced recomputations: ${evaluation.length} rows in the eval_* tables, ${evaluation.join("\n") === expectedEvaluation.join("\n") ? "identical to" : "DIFFERENT from"} the uninterrupted run's ${expectedEvaluation.length} (timestamps and attempt counts left out).`,
      ].join("\n"),
    );
    expect(diff, log.join("\n")).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
    for (const [stage, v] of Object.entries(survived)) expect(v.midRun, `${stage}\n${log.join("\n")}`).toBe(v.kills);
    expect(evaluation).toEqual(expectedEvaluation);
  });
});
