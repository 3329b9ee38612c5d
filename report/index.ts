/**
 * Report: what people read of an evaluation run. It reads the eval_* tables (and, through evaluate's door, what a run
 * knew at its as-of) into typed rows, and presents them: the run summary and the explanation of a region as terminal
 * text, the run as one self-contained HTML file. It computes nothing; no stage imports it.
 */
export { findRunRef, type DerivedNote, type RunRef, type RunQuery, type Settings } from "./read/run-ref.ts";
export {
  runSummary,
  type DimensionSummary,
  type DisparityRow,
  type RegionSummary,
  type RunSummary,
} from "./read/run-summary.ts";
export {
  explainRegion,
  type Explanation,
  type ExplainedDimension,
  type ExplainedIndicator,
  type ExplainedObservation,
} from "./read/explain.ts";
export type { CompositeRow, DimensionRow, IndicatorRow } from "./read/explain-rows.ts";
export {
  readReportData,
  type CoverageRow,
  type FurthestRow,
  type RankRow,
  type ReportData,
} from "./read/report-data.ts";
export { settingsLine } from "./text/settings-line.ts";
export { formatRunSummary } from "./text/format-run-summary.ts";
export { formatExplanation } from "./text/format-explain.ts";
export { formatNumber, formatQuantity, indicatorDecimals, withUnit } from "./text/number-format.ts";
export { reportHtml } from "./html/report-html.ts";
