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
 * report every chosen column. `valueAt` returns the value a run uses, or null.
 */
export function levelMatrix(
  regions: readonly string[],
  indicators: readonly EvalIndicator[],
  valueAt: (indicator: string, region: string) => number | null,
  minCoverage: number,
): LevelMatrix {
  // Each value once, indicator by indicator as before (so a bad value is reported for the same pair).
  const byColumn = indicators.map((ind) => regions.map((r) => valueAt(ind.code, r)));
  const chosen = indicators
    .map((_, j) => j)
    .filter((j) => {
      const n = byColumn[j]!.filter((v) => v !== null).length;
      return n >= 2 && n >= minCoverage * regions.length;
    });
  const columns = chosen.map((j) => indicators[j]!);
  const included: string[] = [];
  const matrix: number[][] = [];
  const excluded: { region: string; missing: string[] }[] = [];
  regions.forEach((r, i) => {
    const missing = chosen.filter((j) => byColumn[j]![i] === null).map((j) => indicators[j]!.code);
    if (missing.length > 0) return void excluded.push({ region: r, missing });
    included.push(r);
    matrix.push(chosen.map((j) => byColumn[j]![i] as number));
  });
  return { regions: included, columns, matrix, excluded };
}
