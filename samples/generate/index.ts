// Writes every sample feed file: `node samples/generate/index.ts [--out <dir>]` (default: this samples/ folder).
// Deterministic: the same code gives the same bytes, so a change to the data shows up as a reviewable diff.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger } from "../../runtime/logger.ts";
import { buildSampleModel } from "./model.ts";
import { statsBureauFile } from "./stats-bureau-file.ts";
import { educationFile } from "./education-file.ts";
import { healthFile } from "./health-file.ts";
import { hrssFile } from "./hrss-file.ts";
import { civilHousingFile } from "./civil-housing-file.ts";
import { ecologyFile } from "./ecology-file.ts";
import { householdSurveyFile } from "./household-survey-file.ts";
import { marketRegistryFile } from "./market-registry-file.ts";
import { airStationsFile } from "./air-stations-file.ts";
import type { SampleFile } from "./format.ts";

export type { SampleFile } from "./format.ts";

/** The samples/ folder: where the files are committed. */
export const SAMPLES_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Builds all six departments' files in memory. */
export async function buildSampleFiles(): Promise<SampleFile[]> {
  const model = buildSampleModel();
  return [
    statsBureauFile(model),
    await educationFile(model),
    healthFile(model),
    hrssFile(model),
    await civilHousingFile(model),
    ecologyFile(model),
    householdSurveyFile(),
    marketRegistryFile(),
    airStationsFile(),
  ];
}

/** Writes the files under `outDir` (paths like feeds/education/…) and returns their absolute paths. */
export async function generateSamples(outDir: string = SAMPLES_ROOT): Promise<string[]> {
  const written: string[] = [];
  for (const file of await buildSampleFiles()) {
    const target = join(outDir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.bytes);
    written.push(target);
  }
  return written;
}

function outArgument(argv: readonly string[]): string | undefined {
  const i = argv.indexOf("--out");
  return i >= 0 ? argv[i + 1] : undefined;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const logger = createLogger();
  const out = outArgument(process.argv.slice(2));
  const files = await generateSamples(out === undefined ? SAMPLES_ROOT : resolve(out));
  logger.info({ files }, "sample files written");
}
