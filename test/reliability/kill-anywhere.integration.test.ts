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
  /** Where chunks are generated before they are dropped. */
  staging: string;
}

/** Feeds and a drop folder holding the statistics-bureau sample; the chunks of observations come round by round. */
function prepare(): Workspace {
  const root = mkdtempSync(join(tmpdir(), "gongfu-kill-"));
  const data = join(root, "data");
  const feeds = join(root, "feeds");
  const staging = join(root, "staging");
  for (const dir of [join(data, "inbox", "stats-bureau"), join(data, "inbox", "bench"), feeds, staging])
    mkdirSync(dir, { recursive: true });
  cpSync(join(REPO, "feeds/stats-bureau-income.yaml"), join(feeds, "stats-bureau-income.yaml"));
  cpSync(join(REPO, "samples/feeds/stats-bureau/zj-income-2020-2024.csv"), join(data, "inbox/stats-bureau/income.csv"));
  writeFileSync(join(feeds, "bench.yaml"), benchFeedSpec("bench"));
  return { data, feeds, staging };
}

/** Generates chunk k (the same rows for the same k in every workspace) and drops it. */
async function dropChunk(ws: Workspace, k: number): Promise<void> {
  const file = join(ws.staging, `chunk-${k}.csv`);
  await generateLongCsv(file, ROWS_PER_CHUNK, 1000 + k);
  // A day apart, so a later chunk is a later vintage of the cells it shares with an earlier one.
  const published = new Date(PUBLISHED.getTime() + k * 86_400_000);
  utimesSync(file, published, published);
  renameSync(file, join(ws.data, "inbox", "bench", `chunk-${k}.csv`));
}

/**
 * When to kill, per stage: a moment in the later half of a window that follows how long the stage runs on this
 * machine now. A kill that finds the stage already finished shrinks the window below that moment; one that lands
 * grows it a little. So kills land inside the work (after starting and connecting), whatever the machine's load,
 * and the rounds go on until every stage has been killed KILL_POINTS times while running.
 */
function createKillTiming(random: () => number) {
  const window: Record<string, number> = { ingest: 3000, transform: 5000, load: 6000, evaluate: 4000 };
  return {
    next: (stage: string) => Math.max(250, Math.round(window[stage]! * (0.5 + 0.5 * random()))),
    learn: (stage: string, atMs: number, midRun: boolean) => {
      window[stage] = midRun ? Math.min(60_000, window[stage]! * 1.15) : Math.max(500, atMs * 0.75);
    },
  };
}

describe("kill anywhere (SIGKILL a stage at a random moment, restart, compare)", () => {
  it(`gives the same warehouse as an uninterrupted run after ${KILL_POINTS} kills of each stage while it runs`, {
    timeout: 3_600_000,
  }, async () => {
    const brokers = kafkaBrokers();
    const random = seededRandom(SEED);
    const timing = createKillTiming(random);
    const suiteStart = Date.now();
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
    const env = { GONGFU_INSTANCE_ID: "kill-test" };
    const maxRounds = KILL_POINTS * 3;
    const log: string[] = [];
    const survived: Record<string, { kills: number; midRun: number; at: number[] }> = Object.fromEntries(
      [...STAGES, "evaluate"].map((s) => [s, { kills: 0, midRun: 0, at: [] }]),
    );
    const killOnce = async (stage: string, argv: string[], label: string) => {
      const afterMs = timing.next(stage);
      const { killedMidRun } = await killAfter(argv, env, afterMs);
      const tally = survived[stage]!;
      tally.kills++;
      if (killedMidRun) {
        tally.midRun++;
        tally.at.push(afterMs);
      }
      timing.learn(stage, afterMs, killedMidRun);
      log.push(`${label}: ${stage} killed at ${afterMs} ms${killedMidRun ? "" : " (had already finished)"}`);
    };

    // Each round drops new work, then kills each stage that still needs kills at a moment inside its run, and
    // restarts it to completion; rounds go on until every stage has KILL_POINTS kills while running.
    const faulty = prepare();
    const args = argsFor(faulty, uniqueTopicPrefix("kill-faulty"));
    let rounds = 0;
    while (rounds < maxRounds && STAGES.some((s) => survived[s]!.midRun < KILL_POINTS)) {
      await dropChunk(faulty, rounds);
      for (const stage of STAGES) {
        if (survived[stage]!.midRun < KILL_POINTS) await killOnce(stage, stageArgs(stage, args), `round ${rounds + 1}`);
        await runStage(stageArgs(stage, args), env);
      }
      rounds++;
    }
    const actual = await observationSet(join(faulty.data, "gongfu.duckdb"));

    // The uninterrupted run: the same chunks, each stage run once.
    const clean = prepare();
    const cleanArgs = argsFor(clean, uniqueTopicPrefix("kill-clean"));
    for (let k = 0; k < rounds; k++) await dropChunk(clean, k);
    for (const stage of STAGES) await runStage(stageArgs(stage, cleanArgs), env);
    const expected = await observationSet(join(clean.data, "gongfu.duckdb"));
    expect(expected.length).toBeGreaterThan(0);
    const diff = compareSets(expected, actual);
    await runStage(evaluate(clean), env);
    const expectedEvaluation = await evaluationSet(join(clean.data, "gongfu.duckdb"));
    expect(expectedEvaluation.length).toBeGreaterThan(0);

    // Evaluate: kill forced recomputations inside their run until KILL_POINTS landed, then run it to completion.
    for (let attempt = 0; attempt < maxRounds && survived["evaluate"]!.midRun < KILL_POINTS; attempt++)
      await killOnce("evaluate", [...evaluate(faulty), "--force"], `attempt ${attempt + 1}`);
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
        `Seed ${SEED}. Rounds of ${ROWS_PER_CHUNK} new observations each; in each round ingest, transform and load are SIGKILLed in turn ` +
          `and restarted to completion, on a real broker, with each stage a separate process; then ` +
          `\`gongfu evaluate --period 2025 --force\` is killed and finally run to completion. Kills ` +
          `are timed to land inside each stage's run: a random moment in the later half of a window ` +
          `that follows how long the stage runs on the machine at the time (a kill that finds the ` +
          `stage finished shrinks the window, one that lands grows it), and rounds go on until every ` +
          `stage has been killed ${KILL_POINTS} times while running (${rounds} rounds here).`,
        "",
        "| stage | kills | killed while running | median moment of those |",
        "|---|---:|---:|---:|",
        ...Object.entries(survived).map(
          ([s, v]) => `| ${s} | ${v.kills} | ${v.midRun} | ${(median(v.at) / 1000).toFixed(1)} s |`,
        ),
        "",
        `Result: ${actual.length} observations in the warehouse against ${expected.length} ` +
          `in an uninterrupted run: ${diff.lost} lost, ${diff.duplicated} duplicated, ${diff.unexpected} ` +
          `unexpected.`,
        `Evaluation of 2025 after ${survived["evaluate"]!.midRun} killed forced recomputations: ${evaluation.length} ` +
          `rows in the eval_* tables, ${evaluation.join("\n") === expectedEvaluation.join("\n") ? "identical to" : "DIFFERENT from"} ` +
          `the uninterrupted run's ${expectedEvaluation.length} (timestamps and attempt ` +
          `counts left out).`,
      ].join("\n"),
    );
    expect(diff, log.join("\n")).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(evaluation).toEqual(expectedEvaluation);
    for (const [stage, v] of Object.entries(survived))
      expect(v.midRun, `${stage}\n${log.join("\n")}`).toBeGreaterThanOrEqual(KILL_POINTS);
  });
});
