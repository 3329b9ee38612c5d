// The generic shape of a provincial indicator and its 11 cities: the province moves from its 2020 value toward its
// 2025 value; developed cities sit above (or below, for "lower is better") by a spread that narrows over time.
import { CITIES, PROVINCE, development } from "./geography.ts";
import { randomFor } from "./prng.ts";
import { YEARS, clamp, progress, round, setValue, type RegionSeries } from "./series.ts";

export interface PathSpec {
  /** Indicator code; also names the random stream. */
  code: string;
  /** Province values in 2020 and 2025. */
  from: number;
  to: number;
  /** How far a city at development +1 sits from the province (negative: developed cities lower). */
  spread: number;
  /** Share of the spread closed by 2025 (the laggards catch up). */
  converge?: number;
  /** Year-to-year noise (standard deviation) of each city, persistent from year to year. */
  noise: number;
  decimals: number;
  min?: number;
  max?: number;
  shape?: "linear" | "early" | "late";
  /** Published for the province only (the cities' cells stay empty). */
  provinceOnly?: boolean;
  /** Province values that are fixed (published figures or deliberate shapes), by year. */
  pins?: Readonly<Record<number, number>>;
}

/** Province and city weights for the city mean: 2020 resident population. */
export type Weights = ReadonlyMap<string, number>;

/** A province path and city paths whose population-weighted mean stays close to the province. */
export function buildPath(spec: PathSpec, weights: Weights): RegionSeries {
  const rnd = randomFor(`path:${spec.code}`);
  const series: RegionSeries = new Map();
  const totalWeight = CITIES.reduce((a, c) => a + (weights.get(c.code) ?? 0), 0);
  const meanDev = CITIES.reduce((a, c) => a + (weights.get(c.code) ?? 0) * development(c.code), 0) / totalWeight;
  const shock = new Map(CITIES.map((c) => [c.code, 0]));
  const bounded = (v: number): number => round(clamp(v, spec.min, spec.max), spec.decimals);
  for (const year of YEARS) {
    const p = spec.pins?.[year] ?? spec.from + (spec.to - spec.from) * progress(year, spec.shape);
    setValue(series, PROVINCE.code, year, round(p, spec.decimals));
    if (spec.provinceOnly) continue;
    const narrowing = 1 - (spec.converge ?? 0) * progress(year);
    for (const city of CITIES) shock.set(city.code, 0.6 * (shock.get(city.code) ?? 0) + spec.noise * rnd.normal());
    const meanShock =
      CITIES.reduce((a, c) => a + (weights.get(c.code) ?? 0) * (shock.get(c.code) ?? 0), 0) / totalWeight;
    for (const city of CITIES) {
      const offset = spec.spread * narrowing * (development(city.code) - meanDev);
      setValue(series, city.code, year, bounded(p + offset + (shock.get(city.code) ?? 0) - meanShock));
    }
  }
  return series;
}
