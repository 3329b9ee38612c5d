// Minimum living allowance (低保) standards, 元 per person per month, and the plan's indicator: the allowance's
// growth minus the growth of per-capita disposable income, in percentage points (target: not below 0).
import { CITIES, PROVINCE, development } from "./geography.ts";
import type { IncomeSeries } from "./income.ts";
import { randomFor } from "./prng.ts";
import { YEARS, getValue, round, setValue, type RegionSeries } from "./series.ts";

/** 2020 standards (assumption, in the range the cities announced): Hangzhou highest, the mountain cities lowest. */
function standard2020(cityCode: string): number {
  return Math.round((940 + 130 * development(cityCode)) / 5) * 5;
}

export interface Dibao {
  /** 元/月, province = population-weighted mean of the cities. */
  standard: RegionSeries;
  /** Percentage points; from 2021 (2020's growth would need 2019 figures the workbook does not hold). */
  gap: RegionSeries;
}

export function buildDibao(income: IncomeSeries, population: RegionSeries): Dibao {
  const rnd = randomFor("dibao");
  const standard: RegionSeries = new Map();
  const gap: RegionSeries = new Map();
  for (const city of CITIES) {
    let level = standard2020(city.code);
    setValue(standard, city.code, 2020, level);
    for (const year of YEARS.slice(1)) {
      const incomeGrowth = getValue(income.total, city.code, year) / getValue(income.total, city.code, year - 1) - 1;
      // Usually above income growth, by about a point; now and then a city lags (a negative gap).
      level = Math.round((level * (1 + incomeGrowth + 0.011 + 0.012 * rnd.normal())) / 5) * 5;
      setValue(standard, city.code, year, level);
    }
  }
  for (const year of YEARS) {
    const w = CITIES.map((c) => getValue(population, c.code, year));
    const mean =
      CITIES.reduce((a, c, i) => a + getValue(standard, c.code, year) * w[i]!, 0) / w.reduce((a, b) => a + b, 0);
    setValue(standard, PROVINCE.code, year, Math.round(mean));
  }
  for (const region of [PROVINCE, ...CITIES]) {
    for (const year of YEARS.slice(1)) {
      const growth = (s: RegionSeries) =>
        (getValue(s, region.code, year) / getValue(s, region.code, year - 1) - 1) * 100;
      setValue(gap, region.code, year, round(growth(standard) - growth(income.total), 1));
    }
  }
  return { standard, gap };
}
