// Pure evaluation maths: realisation degrees, aggregation, weights, TOPSIS, disparity, sensitivity.
export { MathInputError } from "./errors.ts";
export {
  realisationDegree,
  ratioDegree,
  progressDegree,
  TARGET_OPS,
  TREND_OPS,
  DEFAULT_TREND_TOLERANCE,
  DEFAULT_TREND_SCORES,
} from "./realisation.ts";
export type {
  IndicatorOp,
  TargetOp,
  TrendOp,
  RealisationMethod,
  RealisationInput,
  Realisation,
  RealisationNullReason,
  TrendScores,
} from "./realisation.ts";
export { onTrack } from "./on-track.ts";
export type { OnTrackInput, OnTrackResult } from "./on-track.ts";
export { compositeScore } from "./composite.ts";
export type { CompositeMethod, CompositeResult, ScoreItem } from "./composite.ts";
export { dimensionScores } from "./dimensions.ts";
export type {
  DimensionIndicator,
  DimensionScore,
  DimensionScoresOptions,
  NotScoredReason,
  DimensionScoresResult,
} from "./dimensions.ts";
export { minMaxNormalize, vectorNormalize } from "./normalize.ts";
export type { Direction } from "./normalize.ts";
export { entropyWeights } from "./entropy.ts";
export type { EntropyConvention, EntropyWeightsResult } from "./entropy.ts";
export { topsis } from "./topsis.ts";
export type { TopsisRow } from "./topsis.ts";
export type { TopsisNormalization } from "./topsis-kernel.ts";
export { competitionRanks } from "./rank.ts";
export { maxMinRatio, coefficientOfVariation } from "./disparity.ts";
export type { DisparityResult } from "./disparity.ts";
export { gini } from "./gini.ts";
export { theilT, theilDecomposition } from "./theil.ts";
export type { TheilDecomposition, TheilGroupContribution, TheilGroupInput } from "./theil.ts";
export { mulberry32 } from "./prng.ts";
export { quantileSorted } from "./quantile.ts";
export { rankSensitivity } from "./sensitivity.ts";
export type { RankSensitivityInput, RankSensitivityRow, Scorer, ScoreFn } from "./sensitivity.ts";
export { pickWithStaleness, DEFAULT_MAX_AGE_MONTHS } from "./staleness.ts";
export type { MaxAgeByFrequency, Observation, Picked } from "./staleness.ts";
export { bandDegree } from "./band.ts";
export type { Band } from "./band.ts";
export { winsorize, winsorizeColumns } from "./winsorize.ts";
export type { WinsorizeResult } from "./winsorize.ts";
export { interpolateLinear } from "./interpolate.ts";
export type { TimedValue } from "./interpolate.ts";
