// Urban surveyed unemployment rate (%), quarterly 2020Q1-2025Q4, province and cities; the annual figure is the
// mean of the four quarters, as the statistics bureau prints it.
import { CITIES, PROVINCE, development } from "./geography.ts";
import { randomFor } from "./prng.ts";
import { YEARS, round } from "./series.ts";

/** Province annual means (assumption: a 2020 and a 2022 bump, then back to about 4.5%). */
const ANNUAL = [4.9, 4.6, 4.9, 4.6, 4.5, 4.5] as const;
/** Q1 is high after the Spring Festival, Q4 low. */
const SEASON = [0.25, 0, -0.05, -0.2] as const;
/** The first Covid quarters and the 2022 spring lockdowns. */
const SHOCKS: Readonly<Record<string, number>> = { "2020Q1": 0.9, "2020Q2": 0.3, "2022Q2": 0.4 };

export interface QuarterValue {
  region: string;
  year: number;
  quarter: number;
  value: number;
}

export function buildUnemployment(): QuarterValue[] {
  const rnd = randomFor("unemployment");
  const level = new Map(CITIES.map((c) => [c.code, 0.25 * rnd.normal() - 0.1 * development(c.code)]));
  const out: QuarterValue[] = [];
  YEARS.forEach((year, i) => {
    SEASON.forEach((season, q) => {
      const p = ANNUAL[i]! + season + (SHOCKS[`${year}Q${q + 1}`] ?? 0);
      out.push({ region: PROVINCE.code, year, quarter: q + 1, value: round(p, 1) });
      for (const c of CITIES)
        out.push({
          region: c.code,
          year,
          quarter: q + 1,
          value: round(p + level.get(c.code)! + 0.1 * rnd.normal(), 1),
        });
    });
  });
  return out;
}

/** Annual mean of the quarters of one region. */
export function annualUnemployment(quarters: readonly QuarterValue[], region: string, year: number): number {
  const values = quarters.filter((q) => q.region === region && q.year === year).map((q) => q.value);
  return round(values.reduce((a, b) => a + b, 0) / values.length, 1);
}
