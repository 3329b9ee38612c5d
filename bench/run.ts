// npm run bench [-- --sizes 1e4,1e5 --repeat 3 --warmup 1 --scenarios a,b --append]: measures every scenario beside
// DuckDB's read_csv and writes BENCHMARKS.md.
import {
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { generateLongCsv, benchFeedSpec } from "./generate-input.ts";
import { runMeasured, type Measurement } from "./run-child.ts";
import { writeReport, type ScenarioResult } from "./report.ts";
import { measureKafkaE2e } from "./kafka-e2e.ts";
import { ensureFormatInput, isFormatScenario } from "./format-inputs.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1e4,1e5,1e6,5e6" },
    repeat: { type: "string", default: "3" },
    scenarios: {
      type: "string",
      default:
        "duckdb-read-csv,sql-baseline,parse-csv,parse-csv-gbk,parse-xlsx,parse-ndjson,normalize,duckdb-load," +
        "embedded-e2e,kafka-e2e,evaluate-full,sensitivity-1000,records-derive,records-registry,records-stations",
    },
    out: { type: "string", default: join(root, "BENCHMARKS.md") },
    warmup: { type: "string", default: "1" },
    /** Keep the results already in bench/out/results.json (e.g. small sizes repeated, then one long run of 5e6). */
    append: { type: "boolean", default: false },
  },
});
const sizes = values.sizes.split(",").map(Number);
const repeat = Math.max(1, Number(values.repeat));
const warmup = Math.max(0, Number(values.warmup));
const scenarios = values.scenarios.split(",");
const inputs = join(root, "bench/out");
mkdirSync(inputs, { recursive: true });
const cli = join(root, "cli/gongfu.ts");
const stageScript = join(root, "bench/stage-scenarios.ts");
const formatScript = join(root, "bench/parse-formats.ts");
const manyFilesScript = join(root, "bench/many-files.ts");
/**
 * Scenario records-derive: N household records of its own (not the observation CSV) into derived cells;
 * records-registry: about N events of the sample market registry; records-stations: every station's hourly
 * readings for round(N / 896k) years (1 to 5, so the same input at 1e4 to 1e6).
 */
const recordsScript = join(root, "bench/records-derive.ts");
/** Scenario many-small-files: this many one-row files, whatever N (it runs at the first size only). */
const SMALL_FILES = 10_000;
const STAGE_SCENARIOS = new Set([
  "duckdb-read-csv",
  "sql-baseline",
  "parse-csv",
  "normalize",
  "duckdb-load",
  "evaluate-full",
  "sensitivity-1000",
]);
/** Scenario (d) does not depend on N: it runs at the first size only. */
const ONCE = new Set(["evaluate-full", "sensitivity-1000", "many-small-files"]);

async function measure(scenario: string, csv: string, n: number): Promise<Measurement | string> {
  const work = mkdtempSync(join(tmpdir(), `gongfu-bench-${scenario}-`));
  try {
    if (STAGE_SCENARIOS.has(scenario)) {
      const m = await runMeasured([stageScript, scenario, csv, work], { timedByChild: true });
      // The hand-written SQL is only a yardstick if it loads what gongfu loads: every row of the all-valid input.
      if (scenario === "sql-baseline" && m.rows !== n) return `failed: loaded ${m.rows} of ${n} rows`;
      return m;
    }
    if (scenario === "records-derive")
      return await runMeasured([recordsScript, "--records", String(n)], { timedByChild: true });
    if (scenario === "records-registry" || scenario === "records-stations")
      return await runMeasured([recordsScript, "--records", String(n), "--feed", scenario.slice("records-".length)], {
        timedByChild: true,
      });
    if (scenario === "many-small-files")
      return await runMeasured([manyFilesScript, String(SMALL_FILES), work], { timedByChild: true });
    if (isFormatScenario(scenario))
      return await runMeasured([formatScript, scenario, await ensureFormatInput(csv, scenario)], {
        timedByChild: true,
      });
    const feeds = join(work, "feeds");
    const drop = join(work, "data/inbox/bench");
    mkdirSync(feeds, { recursive: true });
    mkdirSync(drop, { recursive: true });
    writeFileSync(join(feeds, "bench.yaml"), benchFeedSpec("bench"));
    // Ingest refuses hard links (a second name of a file elsewhere), so the input is copied, before the timing
    // starts: a reflink where the file system has them, a plain copy elsewhere.
    copyFileSync(csv, join(drop, "input.csv"), constants.COPYFILE_FICLONE);
    writeFileSync(join(drop, "input.csv.done"), ""); // complete: read at once, no settle wait inside the timing
    const args = [
      cli,
      "run",
      "--feeds",
      feeds,
      "--data",
      join(work, "data"),
      "--indicator",
      "disposable_income_per_capita",
    ];
    if (scenario === "embedded-e2e") return await runMeasured(args, { rows: n, env: { KAFKA_BROKERS: "" } });
    if (scenario === "kafka-e2e") {
      const brokers = process.env["KAFKA_BROKERS"];
      if (!brokers) return "skipped: set KAFKA_BROKERS (scripts/kafka-local/kafka-local start)";
      return await measureKafkaE2e({ cli, feeds, data: join(work, "data"), brokers, n });
    }
    return `unknown scenario ${scenario}`;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const resultsJson = join(inputs, "results.json");
const results: ScenarioResult[] =
  values.append && existsSync(resultsJson)
    ? (JSON.parse(readFileSync(resultsJson, "utf8")) as { results: ScenarioResult[] }).results
    : [];
for (const n of sizes) {
  const csv = join(inputs, `long-${n}.csv`);
  if (!existsSync(csv)) {
    process.stderr.write(`generating ${csv}\n`);
    await generateLongCsv(csv, n);
  }
  for (const scenario of scenarios) {
    if (ONCE.has(scenario) && n !== sizes[0]) continue;
    const runs: Measurement[] = [];
    let note: string | undefined;
    // Warm-up runs (file cache, JIT of the child is per process anyway), then the measured ones.
    for (let i = 1 - warmup; i <= repeat; i++) {
      const m = await measure(scenario, csv, n).catch(
        (err: unknown) => `failed: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
      );
      if (typeof m === "string") {
        note = m;
        break;
      }
      if (i > 0) runs.push(m);
      process.stderr.write(
        `${scenario} n=${n} run ${i}${i <= 0 ? " (warm-up)" : ""}: ${m.ms.toFixed(0)} ms, ${m.maxRssMb.toFixed(0)} MB\n`,
      );
    }
    // A scenario measured again (with --append) replaces its earlier figures at that size.
    const earlier = results.findIndex((r) => r.scenario === scenario && r.n === n);
    if (earlier >= 0) results.splice(earlier, 1);
    results.push({ scenario, n, runs, ...(note ? { note } : {}) });
    // Written after every scenario, so a long run stopped part-way still leaves its figures.
    writeReport(values.out, resultsJson, results);
  }
}
writeReport(values.out, resultsJson, results);
process.stderr.write(`wrote ${values.out}\n`);
