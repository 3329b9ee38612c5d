// The evaluate section of gongfu.config.yaml: what a run may be told. Validated at start with the rest of the file;
// evaluate/eval-config.ts resolves it into a run's settings and hashes them into the run id.
import { z } from "zod";

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
    /** Entropy weights: minmax (p from min-max normalised values, the Chinese convention) or sum (p = x / Σx). */
    entropyConvention: z.enum(["minmax", "sum"]).default("minmax"),
    /** A missing value for the period: none, carry_forward (within the staleness window) or linear between periods. */
    imputation: z.enum(["none", "carry_forward", "linear"]).default("carry_forward"),
    /** Winsorisation of the TOPSIS matrix columns and the disparity measures' inputs at two quantiles. */
    outliers: z
      .object({
        winsorize: z.boolean().default(false),
        lower: z.number().min(0).max(0.5).default(0.05),
        upper: z.number().min(0.5).max(1).default(0.95),
      })
      .strict()
      .default({ winsorize: false, lower: 0.05, upper: 0.95 }),
    /**
     * Interval targets 区间目标 a department adds for supporting indicators (catalog kind `supporting`): scored 1
     * inside [lower, upper], x / lower below, upper / x above, in the indicator's catalog dimension.
     */
    bands: z
      .record(
        z.string(),
        z
          .object({ lower: z.number().finite(), upper: z.number().finite() })
          .strict()
          .refine((b) => b.lower <= b.upper, "lower must not exceed upper"),
      )
      .default({}),
    /** TOPSIS uses the indicators that at least this share of a level's regions report. */
    rankingMinCoverage: z.number().gt(0).max(1).default(0.8),
  })
  .strict();
export type EvalConfig = z.infer<typeof EvalConfig>;
export type EvalConfigInput = z.input<typeof EvalConfig>;

/** Every default of the section, as `gongfu config` shows them when the file sets none. */
export const EVAL_DEFAULTS: EvalConfig = EvalConfig.parse({});
