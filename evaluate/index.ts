/**
 * Evaluate: computes how far common prosperity is realised from the warehouse: realisation degrees against the
 * plan's targets, dimension and composite scores, rankings, disparity and their sensitivity, written to the eval_*
 * tables per run. The math is pure and exported (`gongfu/evaluate`); the warehouse is read as a contract (dim_*
 * tables, obs_as_of), never through another stage's code.
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
export { ensureEvalTables, ALL_TABLES } from "./tables/index.ts";
export { findRunRef, settingsLine, type RunRef, type RunQuery } from "./present/query.ts";
export { runSummary, type RunSummary } from "./present/run-summary.ts";
export { formatRunSummary } from "./present/format-run-summary.ts";
export {
  explainRegion,
  type Explanation,
  type ExplainedDimension,
  type ExplainedIndicator,
  type ExplainedObservation,
} from "./present/explain.ts";
export { formatExplanation } from "./present/format-explain.ts";
export { formatNumber, formatQuantity, indicatorDecimals, withUnit } from "./present/number-format.ts";
export { readReportData, reportHtml, type ReportData } from "./report/index.ts";
