// What a run may be told: the realisation method, weights, aggregation, windows and sensitivity settings.
import { createHash } from "node:crypto";
import { z } from "zod";
import { ConfigError } from "../runtime/errors.ts";

const Window = z.int().min(0).max(120);
const Weight = z.number().finite().min(0);

/** Every setting that changes the numbers of a run; its canonical JSON is hashed into the run id. */
export const EvalConfig = z
  .object({
    /** ratio: min(x/t, 1) or min(t/x, 1); progress: share of the 2020-to-target distance covered. */
    method: z.enum(["ratio", "progress"]).default("ratio"),
    /** Indicator weights inside a dimension: equal, entropy (from the 11 cities' values) or expert (from `expertWeights`). */
    weights: z.enum(["equal", "entropy", "config"]).default("equal"),
    aggregation: z.enum(["arithmetic", "geometric"]).default("arithmetic"),
    /** Expert weights, used only when `weights` is "config"; an indicator or dimension not named weighs 1. */
    expertWeights: z
      .object({
        indicators: z.record(z.string(), Weight).default({}),
        dimensions: z.record(z.string(), Weight).default({}),
      })
      .strict()
      .default({ indicators: {}, dimensions: {} }),
    /** A dimension with less than this share of its indicator weight scored is not scored (METHOD.md §3.3). */
    coverageThreshold: z.number().min(0).max(1).default(0.5),
    /** How many months a value may be carried forward, by the observation's frequency. */
    staleness: z
      .object({ annual: Window.default(24), quarterly: Window.default(6), monthly: Window.default(2) })
      .strict()
      .default({ annual: 24, quarterly: 6, monthly: 2 }),
    trend: z
      .object({
        tolerance: z.number().min(0).max(1).default(0.005),
        scores: z
          .object({
            improved: z.number().min(0).max(1),
            unchanged: z.number().min(0).max(1),
            worsened: z.number().min(0).max(1),
          })
          .strict()
          .default({ improved: 1, unchanged: 0.5, worsened: 0 }),
      })
      .strict()
      .default({ tolerance: 0.005, scores: { improved: 1, unchanged: 0.5, worsened: 0 } }),
    sensitivity: z
      .object({
        draws: z.int().min(1).max(1_000_000).default(1000),
        seed: z.int().default(20250901),
        perturbation: z.number().min(0).lt(1).default(0.2),
      })
      .strict()
      .default({ draws: 1000, seed: 20250901, perturbation: 0.2 }),
    /** TOPSIS uses the indicators that at least this share of a level's regions report. */
    rankingMinCoverage: z.number().gt(0).max(1).default(0.8),
  })
  .strict();
export type EvalConfig = z.infer<typeof EvalConfig>;
export type EvalConfigInput = z.input<typeof EvalConfig>;

/** Bumped whenever the method changes the numbers for the same inputs, so old run ids are not reused. */
export const EVALUATOR_VERSION = "3";

/** Parses a partial configuration; expert weights only count (and are only hashed) with `weights: config`. */
export function resolveEvalConfig(input: EvalConfigInput = {}): EvalConfig {
  const parsed = EvalConfig.safeParse(input);
  if (!parsed.success)
    throw new ConfigError(`invalid evaluation settings (evaluate section or flags):\n${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  return config.weights === "config" ? config : { ...config, expertWeights: { indicators: {}, dimensions: {} } };
}

/** JSON with object keys sorted at every depth, so equal configurations hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function configHash(config: EvalConfig): string {
  return sha256(canonicalJson({ evaluator: EVALUATOR_VERSION, config })).slice(0, 16);
}

/** The run id: the same period, as-of instant, configuration and catalog always give the same id. */
export function runId(period: string, asOf: string, cfgHash: string, catalogHash: string): string {
  return sha256(canonicalJson({ period, asOf, config: cfgHash, catalog: catalogHash })).slice(0, 16);
}

/** Overrides on the configuration file's `evaluate` section (command-line flags); nested sections merge. */
export function mergeEvalConfig(
  section: Readonly<Record<string, unknown>>,
  overrides: EvalConfigInput,
): EvalConfigInput {
  const merged: Record<string, unknown> = { ...section };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const base = merged[key];
    merged[key] =
      value !== null && typeof value === "object" && base !== null && typeof base === "object"
        ? { ...(base as object), ...value }
        : value;
  }
  return merged as EvalConfigInput;
}
