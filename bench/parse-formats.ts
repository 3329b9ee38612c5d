// One per-format parsing scenario per process: node bench/parse-formats.ts <scenario> <file>
import { createReadStream } from "node:fs";
import { readRows } from "../ingest/index.ts";
import { parseFeedSpec } from "../schemas/index.ts";
import { benchFeedSpec } from "./generate-input.ts";
import { FORMAT_SCENARIOS, isFormatScenario } from "./format-inputs.ts";

const [scenario, file] = process.argv.slice(2) as [string, string];
if (!isFormatScenario(scenario)) throw new Error(`unknown scenario ${scenario}`);
const yaml = benchFeedSpec("bench").replace(
  "format: { kind: csv, encoding: utf-8 }",
  `format: ${FORMAT_SCENARIOS[scenario].format}`,
);
const spec = parseFeedSpec(yaml, "bench.yaml");
const started = performance.now();
let rows = 0;
let failed = 0;
// A reopenable source, as the file-drop connector gives: XLSX is read twice (survey, then rows) without a spool copy.
for await (const row of readRows(() => createReadStream(file), spec)) row.ok ? rows++ : failed++;
if (failed > 0) throw new Error(`${failed} rows failed to parse`);
process.stdout.write(`${JSON.stringify({ rows, ms: performance.now() - started })}\n`);
