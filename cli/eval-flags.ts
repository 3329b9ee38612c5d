// The evaluation settings as command-line flags, shared by evaluate (to make a run) and report / explain (to find it).
import type { Command } from "commander";
import type { EvalConfigInput } from "../evaluate/index.ts";
import { ConfigError } from "../runtime/errors.ts";

export interface EvalFlags {
  asOf?: string;
  method?: string;
  weights?: string;
  aggregation?: string;
  draws?: string;
  seed?: string;
  coverageThreshold?: string;
  imputation?: string;
  entropyConvention?: string;
  winsorize?: boolean;
}

/**
 * The defaults of evaluate's EvalConfig that the help text names, written out so that `--help` does not load
 * evaluate/ (zod, DuckDB); test/cli/command-modules.test.ts checks them against EvalConfig.parse({}).
 */
export const EVAL_FLAG_DEFAULTS = {
  method: "ratio",
  weights: "equal",
  aggregation: "arithmetic",
  coverageThreshold: 0.5,
  imputation: "carry_forward",
  entropyConvention: "minmax",
  sensitivity: { draws: 1000, seed: 20250901 },
} as const;

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new ConfigError(`${flag} must be an integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

function share(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === "" || !Number.isFinite(x) || x < 0 || x > 1)
    throw new ConfigError(`${flag} must be a share between 0 and 1, got ${JSON.stringify(value)}`);
  return x;
}

function choice<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined || (allowed as readonly string[]).includes(value)) return value as T | undefined;
  throw new ConfigError(`${flag} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
}

/** Adds the settings flags; `purpose` says whether they make a run or pick one. */
export function addEvalFlags(cmd: Command, purpose: "make" | "find"): Command {
  const pick = purpose === "find" ? " (picks the run made with it)" : "";
  return cmd
    .option(
      "--as-of <timestamp>",
      purpose === "make"
        ? "use only what was published by this time (ISO 8601; default: the newest vintage published by now)"
        : "the run as of this time (default: the newest as-of evaluated with these settings)",
    )
    .option(
      "--method <method>",
      `realisation degree: ratio (x/target) or progress (from the 2020 baseline) (default: ${EVAL_FLAG_DEFAULTS.method})${pick}`,
    )
    .option(
      "--weights <weights>",
      `indicator weights in a dimension: equal, entropy or config (evaluate.expertWeights) (default: ${EVAL_FLAG_DEFAULTS.weights})${pick}`,
    )
    .option("--aggregation <how>", `arithmetic or geometric mean (default: ${EVAL_FLAG_DEFAULTS.aggregation})${pick}`)
    .option(
      "--coverage-threshold <share>",
      `a dimension with less of its indicator weight scored is not scored (default: ${EVAL_FLAG_DEFAULTS.coverageThreshold})${pick}`,
    )
    .option(
      "--imputation <how>",
      `a missing value: none, carry_forward or linear between periods (default: ${EVAL_FLAG_DEFAULTS.imputation})${pick}`,
    )
    .option(
      "--entropy-convention <c>",
      `entropy weights from min-max values (minmax) or shares x / Σx (sum) (default: ${EVAL_FLAG_DEFAULTS.entropyConvention})${pick}`,
    )
    .option("--winsorize", `winsorise TOPSIS and disparity inputs at evaluate.outliers' quantiles${pick}`)
    .option(
      "--draws <n>",
      `Monte Carlo draws of the rank sensitivity (default: ${EVAL_FLAG_DEFAULTS.sensitivity.draws})${pick}`,
    )
    .option("--seed <n>", `seed of the rank sensitivity (default: ${EVAL_FLAG_DEFAULTS.sensitivity.seed})${pick}`);
}

/** Flags override the configuration file's `evaluate` section. */
export function evalOverrides(o: EvalFlags): EvalConfigInput {
  const draws = integer("--draws", o.draws);
  const seed = integer("--seed", o.seed);
  const out: Record<string, unknown> = {
    method: choice("--method", o.method, ["ratio", "progress"]),
    weights: choice("--weights", o.weights, ["equal", "entropy", "config"]),
    aggregation: choice("--aggregation", o.aggregation, ["arithmetic", "geometric"]),
    coverageThreshold: share("--coverage-threshold", o.coverageThreshold),
    imputation: choice("--imputation", o.imputation, ["none", "carry_forward", "linear"]),
    entropyConvention: choice("--entropy-convention", o.entropyConvention, ["minmax", "sum"]),
    outliers: o.winsorize ? { winsorize: true } : undefined,
    sensitivity:
      draws === undefined && seed === undefined
        ? undefined
        : { ...(draws === undefined ? {} : { draws }), ...(seed === undefined ? {} : { seed }) },
  };
  return out as EvalConfigInput;
}
