/**
 * Report: what people read of an evaluation run. It reads the eval_* tables (and, through evaluate's door, what a run
 * knew at its as-of) into typed rows, and presents them: the run summary and the explanation of a region as terminal
 * text, the run as one self-contained HTML file. It computes nothing; no stage imports it.
 */
export { findRunRef, type RunRef, type RunQuery } from "./read/run-ref.ts";
export { runSummary, type RunSummary, type RegionSummary, type DimensionSummary } from "./read/run-summary.ts";
export {
  explainRegion,
  type Explanation,
  type ExplainedDimension,
  type ExplainedIndicator,
  type ExplainedObservation,
} from "./read/explain.ts";
export { readReportData, type ReportData, type RankRow } from "./read/report-data.ts";
export { settingsLine } from "./text/settings-line.ts";
export { formatRunSummary } from "./text/format-run-summary.ts";
export { formatExplanation } from "./text/format-explain.ts";
export { formatNumber, formatQuantity, indicatorDecimals, withUnit } from "./text/number-format.ts";
export { reportHtml } from "./html/report-html.ts";
