import { withWarehouse } from "../helpers/duckdb.ts";

const RESULT_TABLES = [
  "eval_indicator_score",
  "eval_observation_used",
  "eval_dimension_score",
  "eval_composite",
  "eval_disparity",
  "eval_ranking",
  "eval_sensitivity",
  "eval_weight",
];
/** Columns that say when or how often, not what: they differ between two runs of the same evaluation. */
const VOLATILE = /(_at|timings|attempts|trigger|error)$/;

/** Every row of the evaluation tables as sorted JSON lines, volatile columns left out: "identical evaluation tables". */
export async function evaluationSet(warehouse: string): Promise<string[]> {
  return withWarehouse(warehouse, async (query) => {
    const lines: string[] = [];
    for (const table of ["eval_run", ...RESULT_TABLES]) {
      for (const row of await query(`SELECT * FROM ${table}`)) {
        const kept = Object.fromEntries(Object.entries(row).filter(([k]) => !VOLATILE.test(k)));
        lines.push(`${table} ${JSON.stringify(kept)}`);
      }
    }
    return lines.sort();
  });
}
