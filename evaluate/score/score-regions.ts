// Scores every region with data: indicator degrees, then dimensions and the composite, under both methods.
import { dimensionScores, type DimensionScoresResult } from "../math/index.ts";
import type { EvalConfig } from "../eval-config.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { applies } from "./applies.ts";
import { seriesOf, type EvalCatalog, type EvalIndicator, type EvalRegion, type Snapshot } from "../model.ts";
import { dimensionWeights, type IndicatorWeight } from "./indicator-weights.ts";
import { scoreIndicator, type IndicatorScore } from "./score-indicator.ts";
import type { ValuePicker } from "../inputs/pick-value.ts";

export interface RegionResult {
  readonly region: EvalRegion;
  readonly scores: readonly IndicatorScore[];
  readonly ratio: DimensionScoresResult;
  readonly progress: DimensionScoresResult;
}

/**
 * Target indicators with a comparison, and supporting indicators given a band in `evaluate.bands` (which of them a
 * region is scored on: applies.ts). A band for anything but a supporting indicator of the catalog is refused.
 */
export function scoredIndicators(catalog: EvalCatalog, config?: Pick<EvalConfig, "bands">): EvalIndicator[] {
  const bands = Object.keys(config?.bands ?? {});
  for (const code of bands) {
    const ind = catalog.indicators.find((i) => i.code === code);
    if (ind?.kind !== "supporting")
      throw new ConfigError(`evaluate.bands.${code}: not a supporting indicator of the catalog`, {
        hint: "bands are for supporting indicators (dim_indicator.kind = supporting); targets keep the plan's target",
      });
  }
  return catalog.indicators.filter((i) => (i.kind === "target" && i.op !== null) || bands.includes(i.code));
}

/** Indicator scores of every region that has at least one value for the period. */
export function scoreIndicators(
  catalog: EvalCatalog,
  snapshot: Snapshot,
  picker: ValuePicker,
  config: EvalConfig,
): Map<string, IndicatorScore[]> {
  const indicators = scoredIndicators(catalog, config);
  const out = new Map<string, IndicatorScore[]>();
  for (const region of catalog.regions) {
    const scores = indicators
      .filter((ind) => applies(ind, region))
      .map((ind) =>
        scoreIndicator(
          ind,
          region.code,
          region.level === "province",
          seriesOf(snapshot, ind.code, region.code),
          picker.pick(ind.code, region.code),
          config,
          config.bands[ind.code],
        ),
      );
    if (scores.some((s) => s.picked !== null)) out.set(region.code, scores);
  }
  return out;
}

function aggregate(
  scores: readonly IndicatorScore[],
  method: "ratio" | "progress",
  weights: ReadonlyMap<string, IndicatorWeight>,
  catalog: EvalCatalog,
  config: EvalConfig,
): DimensionScoresResult {
  return dimensionScores(
    scores.map((s) => ({
      dimension: s.indicator.dimension,
      score: s[method].score,
      weight: weights.get(s.indicator.code)?.weight ?? 1,
    })),
    {
      method: config.aggregation,
      dimensions: catalog.dimensions.map((d) => d.code),
      dimensionWeights: dimensionWeights(config),
      coverageThreshold: config.coverageThreshold,
    },
  );
}

/** Dimension scores and composites for each region, under the ratio and the progress method. */
export function scoreRegions(
  catalog: EvalCatalog,
  scored: ReadonlyMap<string, IndicatorScore[]>,
  weights: readonly IndicatorWeight[],
  config: EvalConfig,
): RegionResult[] {
  const byCode = new Map(weights.map((w) => [w.indicator, w] as const));
  return catalog.regions
    .filter((r) => scored.has(r.code))
    .map((region) => {
      const scores = scored.get(region.code)!;
      return {
        region,
        scores,
        ratio: aggregate(scores, "ratio", byCode, catalog, config),
        progress: aggregate(scores, "progress", byCode, catalog, config),
      };
    });
}
