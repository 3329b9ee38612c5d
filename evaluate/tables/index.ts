// The evaluation tables: definitions (with bilingual comments), creation and the transactional writer.
export { EVAL_RUN } from "./run-table.ts";
export { EVAL_COMPOSITE, EVAL_DIMENSION_SCORE, EVAL_INDICATOR_SCORE, EVAL_OBSERVATION_USED } from "./score-tables.ts";
export { EVAL_DISPARITY, EVAL_RANKING, EVAL_SENSITIVITY, EVAL_WEIGHT } from "./comparison-tables.ts";
export { ALL_TABLES, RESULT_TABLES } from "./all-tables.ts";
export type { Cell, Row, TableDef } from "./table-def.ts";
export { ensureEvalTables, type TableLayout } from "./ensure-eval-tables.ts";
export { replaceRunRows } from "./write-rows.ts";
