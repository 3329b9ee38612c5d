// TOPSIS of the cities and of the counties with entropy weights, and how stable each rank is under weight noise.
import {
  rankSensitivity,
  winsorizeColumns,
  topsis,
  type EntropyWeightsResult,
  type RankSensitivityRow,
  type TopsisRow,
} from "../math/index.ts";
import type { EvalConfig } from "../eval-config.ts";
import type { EvalCatalog, EvalIndicator, RegionLevel } from "../model.ts";
import { levelMatrix, type LevelMatrix } from "../score/level-matrix.ts";
import { applies } from "../score/applies.ts";
import { entropyFor } from "../score/entropy-for.ts";
import type { ValuePicker } from "../inputs/pick-value.ts";

export type RankingScope = "cities" | "counties";
export const SCOPE_LEVEL: Readonly<Record<RankingScope, RegionLevel>> = { cities: "prefecture", counties: "county" };

export interface Ranking {
  readonly scope: RankingScope;
  readonly matrix: LevelMatrix;
  /** Null when fewer than two regions or no common indicator are left. */
  readonly entropy: EntropyWeightsResult | null;
  readonly topsis: readonly TopsisRow[] | null;
  readonly sensitivity: readonly RankSensitivityRow[] | null;
  /** Matrix values pulled in by winsorisation (0 when it is off). */
  readonly winsorized: number;
  /** TOPSIS ranks under the other outlier setting (raw if winsorising, winsorised if not), by matrix row. */
  readonly otherOutlierRanks: readonly number[] | null;
}

/** The matrix of a level: regions of that level with any value, indicators reported widely enough. */
export function matrixFor(
  scope: RankingScope,
  catalog: EvalCatalog,
  indicators: readonly EvalIndicator[],
  regionsWithData: ReadonlySet<string>,
  pick: ValuePicker,
  config: EvalConfig,
): LevelMatrix {
  const regions = catalog.regions.filter((r) => r.level === SCOPE_LEVEL[scope] && regionsWithData.has(r.code));
  const cols = indicators.filter((i) => regions[0] !== undefined && applies(i, regions[0]));
  return levelMatrix(
    regions.map((r) => r.code),
    cols,
    (ind, region) => pick(ind, region)?.value ?? null,
    config.rankingMinCoverage,
  );
}

function closenessRanks(
  matrix: readonly (readonly number[])[],
  directions: readonly ("higher" | "lower")[],
  config: EvalConfig,
): { entropy: EntropyWeightsResult; rows: TopsisRow[] } {
  const entropy = entropyFor(matrix, directions, config.entropyConvention);
  return { entropy, rows: topsis(matrix, entropy.weights, directions, { normalization: "minmax" }) };
}

export function rank(scope: RankingScope, matrix: LevelMatrix, config: EvalConfig): Ranking {
  if (matrix.regions.length < 2 || matrix.columns.length === 0)
    return { scope, matrix, entropy: null, topsis: null, sensitivity: null, winsorized: 0, otherOutlierRanks: null };
  const directions = matrix.columns.map((c) => c.direction);
  const { lower, upper, winsorize } = config.outliers;
  const clipped = winsorizeColumns(matrix.matrix, lower, upper);
  const used = winsorize ? clipped.matrix : matrix.matrix;
  const { entropy, rows } = closenessRanks(used, directions, config);
  // The sensitivity run also shows what the outlier choice does: the ranks under the other setting.
  const other = closenessRanks(winsorize ? matrix.matrix : clipped.matrix, directions, config).rows.map((r) => r.rank);
  const sensitivity = rankSensitivity({
    matrix: used,
    baseWeights: entropy.weights,
    directions,
    draws: config.sensitivity.draws,
    seed: config.sensitivity.seed,
    perturbation: config.sensitivity.perturbation,
  });
  return {
    scope,
    matrix,
    entropy,
    topsis: rows,
    sensitivity,
    winsorized: winsorize ? clipped.changed : 0,
    otherOutlierRanks: other,
  };
}
