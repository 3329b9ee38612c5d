// What a run may be told: the realisation method, weights, aggregation, windows and sensitivity settings.
import { createHash } from "node:crypto";
import { z } from "zod";
import { ConfigError } from "../runtime/errors.ts";
import { EvalConfig, type EvalConfigInput } from "../runtime/config-evaluate.ts";

// The schema lives in runtime/ so that gongfu.config.yaml's evaluate section is validated when the process starts.
export { EvalConfig, type EvalConfigInput } from "../runtime/config-evaluate.ts";

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
