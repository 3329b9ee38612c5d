// The region × indicator matrix behind entropy weights and TOPSIS: common indicators, complete rows.
import type { EvalIndicator } from "../model.ts";

export interface LevelMatrix {
  readonly regions: readonly string[];
  readonly columns: readonly EvalIndicator[];
  readonly matrix: readonly (readonly number[])[];
  /** Regions left out because they miss one of the chosen indicators. */
  readonly excluded: readonly { readonly region: string; readonly missing: readonly string[] }[];
}

/**
 * Columns: indicators reported by at least `minCoverage` of `regions` (and by two or more); rows: the regions that
 * report every chosen column. `valueOf` returns the value a run uses, or null.
 */
export function levelMatrix(
  regions: readonly string[],
  indicators: readonly EvalIndicator[],
  valueOf: (indicator: string, region: string) => number | null,
  minCoverage: number,
): LevelMatrix {
  const columns = indicators.filter((ind) => {
    const n = regions.filter((r) => valueOf(ind.code, r) !== null).length;
    return n >= 2 && n >= minCoverage * regions.length;
  });
  const included: string[] = [];
  const excluded: { region: string; missing: string[] }[] = [];
  for (const r of regions) {
    const missing = columns.filter((c) => valueOf(c.code, r) === null).map((c) => c.code);
    if (missing.length === 0) included.push(r);
    else excluded.push({ region: r, missing });
  }
  const matrix = included.map((r) => columns.map((c) => valueOf(c.code, r) as number));
  return { regions: included, columns, matrix, excluded };
}
