// GDP (亿元), GDP per capita (元) and the urbanisation rate (%) of the province and the 11 cities.
import { CITIES, PROVINCE, development } from "./geography.ts";
import { averagePopulation } from "./population.ts";
import { published } from "./published.ts";
import { YEARS, getValue, round, setValue, type RegionSeries } from "./series.ts";

export interface Economy {
  gdp: RegionSeries;
  gdpPerCapita: RegionSeries;
  urbanization: RegionSeries;
}

/** 2023 GDP after the fifth economic census, as the 2024 bulletin gives it (note in published-stats.csv). */
export const GDP_2023_REVISED = 85620;
/** 2025 is not in the reference table: 2024 plus 5.2% nominal growth (assumption). */
const PROVINCE_GDP_2025 = Math.round(90131 * 1.052);
const PROVINCE_URBANIZATION_2025 = 76.2;

/** City GDP in 2020 (亿元), approximately as reported (background knowledge); rescaled to the province. */
const CITY_GDP_2020: Readonly<Record<string, number>> = {
  "330100": 16106,
  "330200": 12409,
  "330300": 6871,
  "330400": 5510,
  "330500": 3201,
  "330600": 6001,
  "330700": 4704,
  "330800": 1639,
  "330900": 1512,
  "331000": 5263,
  "331100": 1540,
};
/** City urbanisation in the 2020 census, approximately (background knowledge); shifted to the province. */
const CITY_URBAN_2020: Readonly<Record<string, number>> = {
  "330100": 83.3,
  "330200": 78.0,
  "330300": 72.5,
  "330400": 71.9,
  "330500": 65.5,
  "330600": 71.0,
  "330700": 68.8,
  "330800": 57.5,
  "330900": 72.1,
  "331000": 63.9,
  "331100": 61.5,
};

export function provinceGdp(year: number): number {
  return year === 2025 ? PROVINCE_GDP_2025 : published("gdp", PROVINCE.code, year)!;
}

/** Population-weighted mean of (code, value) pairs. */
export function weightedMean(
  values: readonly (readonly [string, number])[],
  population: RegionSeries,
  year: number,
): number {
  const w = values.map(([code]) => getValue(population, code, year));
  return values.reduce((a, [, v], i) => a + v * w[i]!, 0) / w.reduce((a, b) => a + b, 0);
}

/** Province and city economy; the province as published, cities summing (GDP) or averaging (urbanisation) to it. */
export function buildEconomy(population: RegionSeries): Economy {
  const economy: Economy = { gdp: new Map(), gdpPerCapita: new Map(), urbanization: new Map() };
  for (const year of YEARS) {
    const t = year - 2020;
    const total = provinceGdp(year);
    setValue(economy.gdp, PROVINCE.code, year, total);
    // Zhoushan's petrochemical base grew faster than the rest in these years.
    const raw = CITIES.map(
      (c) => CITY_GDP_2020[c.code]! * (1 + 0.004 * development(c.code) + (c.code === "330900" ? 0.03 : 0)) ** t,
    );
    const rawSum = raw.reduce((a, b) => a + b, 0);
    CITIES.forEach((c, i) => setValue(economy.gdp, c.code, year, Math.round((total * raw[i]!) / rawSum)));
    const provinceUrban =
      year === 2025 ? PROVINCE_URBANIZATION_2025 : published("urbanization_rate", PROVINCE.code, year)!;
    setValue(economy.urbanization, PROVINCE.code, year, provinceUrban);
    const urbanRaw = CITIES.map(
      (c) => [c.code, CITY_URBAN_2020[c.code]! + 0.45 * t * (1 - 0.3 * development(c.code))] as const,
    );
    const shift = provinceUrban - weightedMean(urbanRaw, population, year);
    for (const [code, v] of urbanRaw) setValue(economy.urbanization, code, year, round(v + shift, 1));
  }
  for (const region of [PROVINCE, ...CITIES]) {
    for (const year of YEARS) {
      const perCapita =
        published("gdp_per_capita", region.code, year) ??
        Math.round((getValue(economy.gdp, region.code, year) * 1e4) / averagePopulation(population, region.code, year));
      setValue(economy.gdpPerCapita, region.code, year, perCapita);
    }
  }
  return economy;
}

/** Per-capita GDP of the province after the 2023 revision: revised GDP over the average population (derived). */
export function revisedGdpPerCapita2023(population: RegionSeries): number {
  return Math.round((GDP_2023_REVISED * 1e4) / averagePopulation(population, PROVINCE.code, 2023));
}
