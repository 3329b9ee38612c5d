// The evaluation tables, in the order a run writes them.
import { EVAL_RUN } from "./run-table.ts";
import { EVAL_COMPOSITE, EVAL_DIMENSION_SCORE, EVAL_INDICATOR_SCORE, EVAL_OBSERVATION_USED } from "./score-tables.ts";
import { EVAL_DISPARITY, EVAL_RANKING, EVAL_SENSITIVITY, EVAL_WEIGHT } from "./comparison-tables.ts";
import type { TableDef } from "./table-def.ts";

/** Tables holding a run's results (eval_run itself is written separately). */
export const RESULT_TABLES: readonly TableDef[] = [
  EVAL_INDICATOR_SCORE,
  EVAL_OBSERVATION_USED,
  EVAL_DIMENSION_SCORE,
  EVAL_COMPOSITE,
  EVAL_DISPARITY,
  EVAL_RANKING,
  EVAL_SENSITIVITY,
  EVAL_WEIGHT,
];
export const ALL_TABLES: readonly TableDef[] = [EVAL_RUN, ...RESULT_TABLES];
