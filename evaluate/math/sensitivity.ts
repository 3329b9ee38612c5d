// Monte Carlo rank stability under multiplicative weight perturbation.
import { MathInputError } from "./errors.ts";
import { checkDirections, column, minMaxNormalize } from "./normalize.ts";
import type { Direction } from "./normalize.ts";
import { mulberry32 } from "./prng.ts";
import { quantileSorted } from "./quantile.ts";
import { competitionRanksInto, createCompetitionRanker } from "./rank.ts";
import { checkWeights, topsisInto, topsisKernel } from "./topsis-kernel.ts";
import { at, finite, matrixShape } from "./validate.ts";

/** Writes one score per row (higher is better) for the given weights into `out`. */
export type ScoreFn = (weights: Float64Array, out: Float64Array) => void;
export type Scorer = "topsis-minmax" | "topsis-vector" | "weighted-sum" | ScoreFn;

export interface RankSensitivityInput {
  readonly matrix: readonly (readonly number[])[];
  readonly baseWeights: readonly number[];
  readonly directions: readonly Direction[];
  readonly draws: number;
  readonly seed: number;
  /** Each weight is multiplied by 1 + U(−p, p) then all are renormalised; default 0.2. */
  readonly perturbation?: number;
  /** Default "topsis-minmax". "weighted-sum" is Σ w_j z_ij on min-max normalised columns. */
  readonly scorer?: Scorer;
}

export interface RankSensitivityRow {
  readonly baseRank: number;
  readonly medianRank: number;
  /** 5th and 95th percentiles of the rank over draws (type-7 quantiles). */
  readonly p05: number;
  readonly p95: number;
}

function buildScorer(input: RankSensitivityInput, m: number, n: number): ScoreFn {
  const scorer = input.scorer ?? "topsis-minmax";
  if (typeof scorer === "function") return scorer;
  if (scorer === "weighted-sum") {
    const z = new Float64Array(m * n);
    input.directions.forEach((dir, j) =>
      minMaxNormalize(column(input.matrix, j), dir).forEach((x, i) => (z[i * n + j] = x)),
    );
    return (w, out) => {
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += at(w, j) * at(z, i * n + j);
        out[i] = s;
      }
    };
  }
  if (scorer !== "topsis-minmax" && scorer !== "topsis-vector") {
    throw new MathInputError(
      "scorer",
      `must be "topsis-minmax", "topsis-vector", "weighted-sum" or a function, got ${String(scorer)}`,
    );
  }
  const k = topsisKernel(input.matrix, input.directions, scorer === "topsis-minmax" ? "minmax" : "vector");
  const dPlus = new Float64Array(m);
  const dMinus = new Float64Array(m);
  const squares = new Float64Array(n);
  return (w, out) => topsisInto(k, w, dPlus, dMinus, out, squares);
}

/**
 * Rank sensitivity 敏感性分析: over `draws` seeded draws, perturbs every base weight by an
 * independent factor 1 + U(−perturbation, perturbation), renormalises, rescores and ranks
 * the rows (competition ranking, 1 = best). Returns per row the base rank, the median rank
 * and the 5–95% rank interval. Deterministic for a given seed.
 */
export function rankSensitivity(input: RankSensitivityInput): RankSensitivityRow[] {
  const [m, n] = matrixShape(input.matrix, "matrix");
  checkDirections(input.directions, n);
  checkWeights(input.baseWeights, n, "baseWeights");
  const draws = finite(input.draws, "draws");
  if (!Number.isInteger(draws) || draws < 1)
    throw new MathInputError("draws", `must be a positive integer, got ${draws}`);
  const p = finite(input.perturbation ?? 0.2, "perturbation");
  if (p < 0 || p >= 1) throw new MathInputError("perturbation", `must be in [0, 1), got ${p}`);
  const score = buildScorer(input, m, n);
  const rand = mulberry32(input.seed);

  const baseSum = input.baseWeights.reduce((s, x) => s + x, 0);
  const base = Float64Array.from(input.baseWeights, (x) => x / baseSum);
  const w = new Float64Array(n);
  const scores = new Float64Array(m);
  const ranks = new Float64Array(m);
  const baseRanks = new Float64Array(m);
  score(base, scores);
  competitionRanksInto(scores, baseRanks);
  const rankDraw = createCompetitionRanker(m);
  // Ranks are whole numbers 1..m: a histogram per row replaces sorting each row's draws.
  const counts = new Int32Array(m * (m + 1));
  // Typed arrays indexed directly: at() is shared by every caller and its element access stays megamorphic.
  for (let d = 0; d < draws; d++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const wj = base[j]! * (1 + p * (2 * rand() - 1));
      w[j] = wj;
      sum += wj;
    }
    for (let j = 0; j < n; j++) w[j] = w[j]! / sum;
    score(w, scores);
    rankDraw(scores, ranks);
    for (let i = 0; i < m; i++) counts[i * (m + 1) + ranks[i]!]!++;
  }
  const rankColumn = new Float64Array(draws);
  return Array.from({ length: m }, (_, i) => {
    let d = 0;
    for (let r = 1; r <= m; r++) for (let c = counts[i * (m + 1) + r]!; c > 0; c--) rankColumn[d++] = r;
    return {
      baseRank: at(baseRanks, i),
      medianRank: quantileSorted(rankColumn, 0.5),
      p05: quantileSorted(rankColumn, 0.05),
      p95: quantileSorted(rankColumn, 0.95),
    };
  });
}
