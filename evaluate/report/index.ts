// The HTML report of a run.
export { readReportData, type ReportData, type Trend, type RankRow } from "./report-data.ts";
export { reportHtml } from "./report-html.ts";
