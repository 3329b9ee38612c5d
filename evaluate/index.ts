/**
 * Evaluate: computes how far common prosperity is realised from the warehouse: realisation degrees against the
 * plan's targets, dimension and composite scores, rankings, disparity and their sensitivity, written to the eval_*
 * tables per run. The math is pure and exported (`gongfu/evaluate`); the warehouse is read as a contract (dim_*
 * tables, obs_as_of), never through another stage's code. What people read of a run (explain, the HTML report) is
 * in report/, which reads the eval_* tables and this door.
 */
export * from "./math/index.ts";
export { realisationTable, type RealisationRow, type RegionLevel } from "./realisation-table.ts";
export {
  EvalConfig,
  EVALUATOR_VERSION,
  resolveEvalConfig,
  mergeEvalConfig,
  configHash,
  type EvalConfigInput,
} from "./eval-config.ts";
export { runEvaluation, canonicalInstant, type EvaluationRequest, type EvaluationResult } from "./run-evaluation.ts";
export { computeRun, type ComputedRun } from "./compute-run.ts";
export { benchmarkFullEvaluation, type FullEvaluationOptions, type FullEvaluationTiming } from "./bench-hook.ts";
export { hasSucceededRun, type RunTrigger, type AsOfSource } from "./run-record.ts";
export { lastEvaluationRuns, type EvalRunSummary, type LastEvaluationRuns } from "./run-status.ts";
export { ensureEvalTables, ALL_TABLES } from "./tables/index.ts";
export { provinceTrends, type Trend, type TrendPoint } from "./province-trends.ts";
export { readCatalog } from "./inputs/read-catalog.ts";
export type { EvalDimension } from "./model.ts";
