// Turns a computed run into rows of every result table and writes them in one transaction.
import type { DuckDBConnection } from "@duckdb/node-api";
import type { EvalConfig } from "./eval-config.ts";
import type { ComputedRun } from "./compute-run.ts";
import { scoreTableRows } from "./rows/score-rows.ts";
import { disparityTableRows, rankingTableRows, sensitivityTableRows, weightTableRows } from "./rows/comparison-rows.ts";
import {
  EVAL_COMPOSITE,
  EVAL_DIMENSION_SCORE,
  EVAL_DISPARITY,
  EVAL_INDICATOR_SCORE,
  EVAL_OBSERVATION_USED,
  EVAL_RANKING,
  EVAL_SENSITIVITY,
  EVAL_WEIGHT,
  replaceRunRows,
  type Row,
  type TableDef,
  type TableLayout,
} from "./tables/index.ts";

export async function writeResults(
  connection: DuckDBConnection,
  runId: string,
  layout: TableLayout,
  run: ComputedRun,
  config: EvalConfig,
  inTransaction: () => Promise<void>,
): Promise<void> {
  const s = scoreTableRows(runId, run.regions, run.weights, config);
  const rows = new Map<TableDef, readonly Row[]>([
    [EVAL_INDICATOR_SCORE, s.indicators],
    [EVAL_OBSERVATION_USED, s.used],
    [EVAL_DIMENSION_SCORE, s.dimensions],
    [EVAL_COMPOSITE, s.composites],
    [EVAL_DISPARITY, disparityTableRows(runId, run.disparity)],
    [EVAL_RANKING, run.rankings.flatMap((r) => rankingTableRows(runId, r))],
    [EVAL_SENSITIVITY, run.rankings.flatMap((r) => sensitivityTableRows(runId, r, run.regions, config))],
    [EVAL_WEIGHT, weightTableRows(runId, run.weights, run.rankings)],
  ]);
  await replaceRunRows(connection, runId, layout, rows, inTransaction);
}
