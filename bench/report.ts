import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem, platform, release } from "node:os";
import type { Measurement } from "./run-child.ts";

export interface ScenarioResult {
  scenario: string;
  n: number;
  runs: Measurement[];
  note?: string;
}

const DESCRIPTIONS: Record<string, string> = {
  "duckdb-read-csv": "the limit: DuckDB's native read_csv of the file into a table of the same shape",
  "sql-baseline":
    "the yardstick: the plain DuckDB SQL normalisation a dbt-duckdb user would write " +
    "(bench/sql-baseline.sql: read_csv(all_varchar) with row_number() lines, catalog and " +
    "unit-registry tables, region and indicator aliases, periods by regexp, full-width digits, " +
    "thousands separators, TRY_CAST, a list of reasons per row), into an on-disk fact table " +
    "and quarantine; timed like read_csv, from opening the database to closing it (no process " +
    "start-up); it must load every row",
  "parse-csv":
    "the JavaScript CSV reader alone (used for files DuckDB is not given, see docs/BATCHES.md): " +
    "stream, decode and split into records",
  "parse-csv-gbk":
    "the JavaScript reader alone on the same rows as a GBK-encoded CSV (as statistics bureau exports are), " +
    "decoded and split",
  "parse-xlsx":
    "ingest alone: the same rows as an XLSX workbook (inline strings, one sheet per million rows), both passes: zip-bomb survey, then rows",
  "parse-ndjson": "ingest alone: the same rows as NDJSON objects (value as a JSON number), parsed line by line",
  normalize:
    "ingest + transform alone: ingest's produce path (DuckDB's read_csv for this plain file) into raw batches, " +
    "then each batch normalised column-wise to observations",
  "duckdb-load":
    "load alone: observations staged (Appender data chunks) and merged into fact_observation, " +
    "no lake; the time spent in the loader's calls including its final merge at stop (a merge " +
    "running in DuckDB's threads while the next batch is normalised is not counted)",
  "embedded-e2e": "`gongfu run`, embedded: file -> warehouse in one process (whole process wall time)",
  "kafka-e2e":
    "three processes against the local broker: `gongfu transform` and `gongfu load` already " +
    "running (groups joined), timed from the start of `gongfu ingest` of the file until the " +
    "loader has committed N observations to the warehouse; the warehouse is then checked to " +
    "hold exactly N; CPU summed over the three, peak RSS the largest one",
  "evaluate-full":
    "(d) one full evaluation (benchmarkFullEvaluation, recomputed) of a warehouse of 102 " +
    "regions × all indicators × 72 months; rows = observations in it; independent of N, run once",
  "records-derive":
    "(issue 19) N household records of its own (a plain CSV, one identifier to pseudonymise, 90 counties, 5 years)" +
    " through record ingest and the record loader into two derivations (a band share and a Gini) for every cell," +
    " embedded, one process: timed from the file to the derived cells committed; a full re-derivation of every cell" +
    " and a one-record late file are in the section on record feeds",
  "records-registry":
    "(issue 19) about N events of the sample market registry (samples/generate at the share that gives N: opening" +
    " stock, establishments, cancellations; a credit code to pseudonymise, an ID-card number to drop, three dates)" +
    " into the live count at year-ends 2018-2025 for every county, city and the province; as records-derive",
  "records-stations":
    "(issue 19) every station's hourly PM2.5 (102 stations × 8,784 hours a year) for round(N / 896k) years, 1 to 5," +
    " into the annual mean of daily means and the good-day share for cities and the province; rows = readings;" +
    " the late file is one station-day of 24 readings; as records-derive",
  "sensitivity-1000":
    "(d) rankSensitivity with 1000 draws over 102 regions × all indicators; rows = matrix cells; independent of N, run once",
};

/** Scenarios whose work does not come from the CSV of N rows: their rows are their own and they have no ratio. */
const RECORD_SCENARIOS = new Set(["records-derive", "records-registry", "records-stations"]);
const OWN_ROWS = new Set(["evaluate-full", "sensitivity-1000", "many-small-files", ...RECORD_SCENARIOS]);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** gongfu end to end may take at most this many times as long as the hand-written SQL on the same file (issue 15). */
const SQL_BASELINE_BAR = 1.5;

/** Per N: embedded-e2e against sql-baseline (the bar), beside each one's ratio to read_csv. */
function sqlBaselineSection(results: ScenarioResult[], limit: Map<number, number>): string[] {
  const seconds = (scenario: string, n: number) => {
    const r = results.find((x) => x.scenario === scenario && x.n === n && x.runs.length > 0);
    return r ? median(r.runs.map((m) => m.ms)) / 1000 : undefined;
  };
  const toReadCsv = (s: number | undefined, n: number) => {
    const readCsv = limit.get(n);
    return s !== undefined && readCsv !== undefined ? `${(n / s / readCsv).toFixed(2)}×` : "-";
  };
  const sizes = [...new Set(results.filter((r) => r.scenario === "sql-baseline").map((r) => r.n))];
  if (sizes.length === 0) return [];
  const lines = [
    "",
    "## gongfu against the hand-written SQL",
    "",
    `\`embedded-e2e\` may take at most ${SQL_BASELINE_BAR}× as long as \`sql-baseline\` ` +
      `on the same file in the same run. Ratios to read_csv as in ` +
      `the table above (rows/s over read_csv's rows/s).`,
    "",
    `| N | sql-baseline s | embedded-e2e s | embedded-e2e ÷ sql-baseline | bar ≤ ${SQL_BASELINE_BAR}× ` +
      `| sql-baseline ratio to read_csv | embedded-e2e ratio to read_csv |`,
    "|---:|---:|---:|---:|---|---:|---:|",
  ];
  for (const n of sizes) {
    const sql = seconds("sql-baseline", n);
    const e2e = seconds("embedded-e2e", n);
    const slowdown = sql !== undefined && e2e !== undefined ? e2e / sql : undefined;
    const met = slowdown === undefined ? "-" : slowdown <= SQL_BASELINE_BAR ? "met" : "**not met**";
    lines.push(
      `| ${n.toLocaleString("en-US")} | ${sql?.toFixed(2) ?? "-"} | ${e2e?.toFixed(2) ?? "-"} | ` +
        `${slowdown === undefined ? "-" : `${slowdown.toFixed(2)}×`} | ${met} | ` +
        `${toReadCsv(sql, n)} | ${toReadCsv(e2e, n)} |`,
    );
  }
  return lines;
}

/** The record path against issue 19's targets, per N: records/s, a full derivation, a late record, peak RSS. */
function recordsSection(results: ScenarioResult[]): string[] {
  const runs = results.filter((r) => RECORD_SCENARIOS.has(r.scenario) && r.runs.length > 0);
  if (runs.length === 0) return [];
  const lines = [
    "",
    "## Record feeds into derived indicators (issue 19)",
    "",
    "`records-derive` (households), `records-registry` and `records-stations`, medians of the measured runs." +
      " Targets: ≥ 200k records/s embedded at 10^7, a full derivation of every cell < 10 s, a late record's cells" +
      " re-derived < 1 s, peak RSS < 500 MB.",
    "",
    "| scenario | N records | file to derived cells s | records/s | full derivation s | late one-record file s | cells | peak RSS MB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of runs) {
    const of = (key: string) => median(r.runs.map((m) => m.extra?.[key] ?? Number.NaN)) / 1000;
    const s = median(r.runs.map((m) => m.ms)) / 1000;
    // The registry and station generators give about N records, not N: the count the child reports.
    const rows = r.runs[0]?.rows ?? r.n;
    lines.push(
      `| ${r.scenario} | ${rows.toLocaleString("en-US")} | ${s.toFixed(2)} | ${Math.round(rows / s).toLocaleString("en-US")} | ` +
        `${of("fullDerivationMs").toFixed(2)} | ${of("lateRecordMs").toFixed(2)} | ${r.runs[0]?.extra?.["cells"] ?? "-"} | ` +
        `${Math.round(Math.max(...r.runs.map((m) => m.maxRssMb)))} |`,
    );
  }
  return lines;
}

/** Writes BENCHMARKS.md (human) and the raw figures as JSON (machines), every figure beside its ratio to the limit. */
const SCENARIO_ORDER = [
  "duckdb-read-csv",
  "sql-baseline",
  "parse-csv",
  "parse-csv-gbk",
  "parse-xlsx",
  "parse-ndjson",
  "normalize",
  "duckdb-load",
  "embedded-e2e",
  "kafka-e2e",
  "evaluate-full",
  "sensitivity-1000",
  "many-small-files",
  "records-derive",
  "records-registry",
  "records-stations",
];

/** By N, then in the order data flows, whatever order the runs (and --append runs) came in. */
function tableOrder(a: ScenarioResult, b: ScenarioResult): number {
  return a.n - b.n || SCENARIO_ORDER.indexOf(a.scenario) - SCENARIO_ORDER.indexOf(b.scenario);
}

export function writeReport(mdPath: string, jsonPath: string, unordered: ScenarioResult[]): void {
  const results = [...unordered].sort(tableOrder);
  const machine = {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    os: `${platform()} ${release()}`,
    node: process.version,
  };
  const date = new Date().toISOString();
  writeFileSync(jsonPath, JSON.stringify({ date, machine, results }, null, 1));
  const limit = new Map(
    results
      .filter((r) => r.scenario === "duckdb-read-csv" && r.runs.length)
      .map((r) => [r.n, r.n / (median(r.runs.map((m) => m.ms)) / 1000)] as const),
  );
  const lines = [
    "# Benchmarks",
    "",
    `Measured ${date.slice(0, 10)} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} ` +
      `GiB, ${machine.os}, Node ${machine.node}. Produced by \`npm run bench\` (inputs are ` +
      `generated deterministically by ` +
      `bench/generate-input.ts: a long-layout CSV with Chinese headers and real region codes). ` +
      `Each figure is the median of the measured runs after one warm-up; spread is min-max. The ` +
      `ratio compares rows/s with DuckDB's own read_csv of the same file in the same run.`,
    "",
    "| scenario | N | median s | spread s | rows/s | µs per row | ratio to read_csv | peak RSS MB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of results) {
    if (r.runs.length === 0) {
      lines.push(`| ${r.scenario} | ${r.n.toLocaleString("en-US")} | ${r.note ?? "no runs"} | | | | | |`);
      continue;
    }
    const ms = r.runs.map((m) => m.ms);
    const own = OWN_ROWS.has(r.scenario);
    const rows = own ? (r.runs[0]?.rows ?? r.n) : r.n;
    const rowsPerS = rows / (median(ms) / 1000);
    const ratio = own ? undefined : limit.get(r.n);
    lines.push(
      `| ${r.scenario} | ${own ? `(${rows.toLocaleString("en-US")})` : r.n.toLocaleString("en-US")} | ` +
        `${(median(ms) / 1000).toFixed(2)} | ${(Math.min(...ms) / 1000).toFixed(2)}-${(Math.max(...ms) / 1000).toFixed(2)} | ` +
        `${Math.round(rowsPerS).toLocaleString("en-US")} | ${(1e6 / rowsPerS).toFixed(2)} | ` +
        `${ratio ? `${(rowsPerS / ratio).toFixed(2)}×` : "-"} | ${Math.round(Math.max(...r.runs.map((m) => m.maxRssMb)))} |`,
    );
  }
  lines.push(...sqlBaselineSection(results, limit));
  lines.push(...recordsSection(results));
  lines.push("", "Scenarios:", "", ...Object.entries(DESCRIPTIONS).map(([k, v]) => `- \`${k}\`: ${v}`), "");
  // The hand-written analysis (what bounds each figure, what was tried) travels with every regenerated report.
  const notes = new URL("./notes.md", import.meta.url);
  if (existsSync(notes)) lines.push(readFileSync(notes, "utf8"));
  writeFileSync(mdPath, lines.join("\n"));
}
