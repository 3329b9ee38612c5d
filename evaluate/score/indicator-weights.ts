// Indicator weights inside each dimension: equal, expert (config) or entropy from the cities' values.
import { entropyFor } from "./entropy-for.ts";
import type { EvalConfig } from "../eval-config.ts";
import type { EvalIndicator } from "../model.ts";
import type { LevelMatrix } from "./level-matrix.ts";

export type WeightSource = "equal" | "entropy" | "entropy_mean" | "config";

export interface IndicatorWeight {
  readonly indicator: string;
  readonly dimension: string;
  readonly weight: number;
  readonly source: WeightSource;
  readonly entropy: number | null;
  readonly divergence: number | null;
}

/** Entropy weights of the matrix columns; other indicators get their dimension's mean entropy weight. */
function fromEntropy(
  indicators: readonly EvalIndicator[],
  cities: LevelMatrix,
  convention: EvalConfig["entropyConvention"],
): IndicatorWeight[] {
  const byCode = new Map<string, { weight: number; entropy: number; divergence: number }>();
  if (cities.regions.length >= 2 && cities.columns.length > 0) {
    const e = entropyFor(
      cities.matrix,
      cities.columns.map((c) => c.direction),
      convention,
    );
    cities.columns.forEach((c, j) =>
      byCode.set(c.code, { weight: e.weights[j]!, entropy: e.entropy[j]!, divergence: e.divergence[j]! }),
    );
  }
  const dimMean = new Map<string, number>();
  for (const d of new Set(indicators.map((i) => i.dimension))) {
    const ws = indicators.filter((i) => i.dimension === d && byCode.has(i.code)).map((i) => byCode.get(i.code)!.weight);
    if (ws.length > 0) dimMean.set(d, ws.reduce((a, b) => a + b, 0) / ws.length);
  }
  return indicators.map((i): IndicatorWeight => {
    const e = byCode.get(i.code);
    if (e)
      return {
        indicator: i.code,
        dimension: i.dimension,
        weight: e.weight,
        source: "entropy",
        entropy: e.entropy,
        divergence: e.divergence,
      };
    const mean = dimMean.get(i.dimension);
    return {
      indicator: i.code,
      dimension: i.dimension,
      weight: mean ?? 1,
      source: mean === undefined ? "equal" : "entropy_mean",
      entropy: null,
      divergence: null,
    };
  });
}

/** A dimension whose weights are all zero (constant columns carry no entropy information) falls back to equal weights. */
function rescueZeroDimensions(ws: IndicatorWeight[]): IndicatorWeight[] {
  const total = new Map<string, number>();
  for (const w of ws) total.set(w.dimension, (total.get(w.dimension) ?? 0) + w.weight);
  return ws.map((w) => (total.get(w.dimension)! > 0 ? w : { ...w, weight: 1, source: "equal" }));
}

export function indicatorWeights(
  indicators: readonly EvalIndicator[],
  config: EvalConfig,
  cities: LevelMatrix,
): IndicatorWeight[] {
  const base =
    config.weights === "entropy"
      ? fromEntropy(indicators, cities, config.entropyConvention)
      : indicators.map((i): IndicatorWeight => {
          const w = config.weights === "config" ? config.expertWeights.indicators[i.code] : undefined;
          return {
            indicator: i.code,
            dimension: i.dimension,
            weight: w ?? 1,
            source: w === undefined ? "equal" : "config",
            entropy: null,
            divergence: null,
          };
        });
  return rescueZeroDimensions(base);
}

/** Dimension weights: expert weights under `weights: config`, otherwise equal. */
export function dimensionWeights(config: EvalConfig): Readonly<Record<string, number>> {
  return config.weights === "config" ? config.expertWeights.dimensions : {};
}
