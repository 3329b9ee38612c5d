// Indicators that are counts: county certifications (a share of counties), and totals or running totals that the
// cities add up to exactly.
import { CITIES, PROVINCE, COUNTIES, countiesOf, countyStanding, development } from "./geography.ts";
import { randomFor } from "./prng.ts";
import { YEARS, apportion, round, setValue, type RegionSeries } from "./series.ts";

/**
 * Share of county-level units certified (%), province and cities: `certified[i]` counties of 90 by year i. With
 * `lean` +1 the better-off counties are certified first, with -1 the mountain counties (clean air); always with luck.
 */
export function countyCertification(code: string, certified: readonly number[], lean = 1): RegionSeries {
  const rnd = randomFor(`certified:${code}`);
  const order = COUNTIES.map((k) => ({
    k,
    score: lean * (0.6 * development(k.parentCode!) + 0.3 * countyStanding(k)) + 0.5 * rnd.normal(),
  }))
    .sort((a, b) => b.score - a.score || a.k.code.localeCompare(b.k.code))
    .map((e) => e.k.code);
  const series: RegionSeries = new Map();
  YEARS.forEach((year, i) => {
    const done = new Set(order.slice(0, certified[i] ?? 0));
    setValue(series, PROVINCE.code, year, round((done.size / COUNTIES.length) * 100, 1));
    for (const city of CITIES) {
      const members = countiesOf(city.code);
      setValue(
        series,
        city.code,
        year,
        round((members.filter((k) => done.has(k.code)).length / members.length) * 100, 1),
      );
    }
  });
  return series;
}

export interface SplitSpec {
  code: string;
  /** The province's value by year (index 0 = 2020); `null` where the series does not exist yet. */
  province: readonly (number | null)[];
  /** Cities' shares: weight by city code. */
  weights: ReadonlyMap<string, number>;
  /** Relative noise on each city's share, year by year. */
  noise: number;
  /** The unit the cities count in, as a multiple of the province's unit (10000 when 万套 are split into 套). */
  scale: number;
  /** A running total (cumulative since 2021): the yearly additions are split, then summed. */
  cumulative?: boolean;
}

/** Province values and integer city values (in `scale` units) that sum exactly to the province. */
export function splitTotal(spec: SplitSpec): { province: RegionSeries; cities: RegionSeries } {
  const rnd = randomFor(`split:${spec.code}`);
  const province: RegionSeries = new Map();
  const cities: RegionSeries = new Map();
  const running = new Map(CITIES.map((c) => [c.code, 0]));
  let previous = 0;
  YEARS.forEach((year, i) => {
    const value = spec.province[i];
    if (value === null || value === undefined) return;
    setValue(province, PROVINCE.code, year, value);
    const portion = spec.cumulative ? value - previous : value;
    previous = value;
    const weights = CITIES.map((c) => (spec.weights.get(c.code) ?? 0) * Math.exp(spec.noise * rnd.normal()));
    const parts = apportion(Math.round(portion * spec.scale), weights);
    CITIES.forEach((c, j) => {
      const v = (spec.cumulative ? running.get(c.code)! : 0) + parts[j]!;
      running.set(c.code, v);
      setValue(cities, c.code, year, v);
    });
  });
  return { province, cities };
}

/** Running totals from yearly additions, rounded as the bulletin prints them. */
export function cumulate(additions: readonly (number | null)[], decimals: number): (number | null)[] {
  let sum = 0;
  return additions.map((a) => (a === null ? null : round((sum += a), decimals)));
}
