// Per-capita disposable income of the 90 county-level units: each city's counties average (population-weighted)
// to the city's value; core districts above, the 26 mountain counties and the 11 eco counties below.
import type { Region } from "../../schemas/index.ts";
import { CITIES, countiesOf, countyStanding, development } from "./geography.ts";
import type { IncomeSeries } from "./income.ts";
import { published } from "./published.ts";
import { randomFor } from "./prng.ts";
import { YEARS, clamp, getValue, setValue } from "./series.ts";
import type { RegionSeries } from "./series.ts";

/** How strongly a county's standing moves its income in a city: richer cities have wider internal gaps. */
function spreadOf(cityCode: string, year: number): number {
  // Mountain counties grow faster than their cities (the plan's 山区26县 policy): the gap narrows 2% a year.
  return (0.36 + 0.1 * development(cityCode)) * (1 - 0.02 * (year - 2020));
}

/** Totals of a city's counties whose population-weighted mean is the city's value. */
function scaledTotals(
  members: readonly Region[],
  weight: (code: string) => number,
  factor: (code: string) => number,
  cityTotal: number,
): Map<string, number> {
  const mass = members.reduce((a, k) => a + weight(k.code) * factor(k.code), 0);
  const totalWeight = members.reduce((a, k) => a + weight(k.code), 0);
  return new Map(members.map((k) => [k.code, (cityTotal * totalWeight * factor(k.code)) / mass]));
}

export function buildCountyIncome(city: IncomeSeries, population: RegionSeries): IncomeSeries {
  const rnd = randomFor("county-income");
  const out: IncomeSeries = { total: new Map(), urban: new Map(), rural: new Map() };
  const counties = CITIES.flatMap((c) => countiesOf(c.code));
  const noise = new Map(counties.map((k) => [k.code, 0.035 * rnd.normal()]));
  const level = new Map(counties.map((k) => [k.code, 1]));
  const ratioLevel = new Map(counties.map((k) => [k.code, 1]));
  const weightShift = new Map(counties.map((k) => [k.code, 0]));
  const byCode = new Map(counties.map((k) => [k.code, k]));
  const factorOf =
    (cityCode: string, year: number) =>
    (code: string): number =>
      level.get(code)! * Math.exp(spreadOf(cityCode, year) * countyStanding(byCode.get(code)!) + noise.get(code)!);
  const ratioOf = (cityCode: string, k: Region, year: number): number =>
    (getValue(city.urban, cityCode, year) / getValue(city.rural, cityCode, year)) *
    (1 - 0.03 * countyStanding(k)) *
    ratioLevel.get(k.code)!;
  // A published county figure sets that county's level in every year, so its series has no jump at the pinned year.
  // A few passes: fixing one county's level rescales its neighbours, which moves it a little again.
  for (let pass = 0; pass < 4; pass++)
    for (const k of counties) {
      for (const year of YEARS) {
        const pin = published("disposable_income_per_capita", k.code, year);
        if (pin === undefined) continue;
        const cityCode = k.parentCode!;
        const free = scaledTotals(
          countiesOf(cityCode),
          (c) => getValue(population, c, year),
          factorOf(cityCode, year),
          getValue(city.total, cityCode, year),
        );
        level.set(k.code, (level.get(k.code)! * pin) / free.get(k.code)!);
        const u = published("disposable_income_per_capita_urban", k.code, year);
        const r = published("disposable_income_per_capita_rural", k.code, year);
        if (u === undefined || r === undefined) continue;
        ratioLevel.set(k.code, (ratioLevel.get(k.code)! * u) / r / ratioOf(cityCode, k, year));
        weightShift.set(k.code, (pin - r) / (u - r) - urbanWeight(city, cityCode, k, year, 0));
      }
    }
  for (const c of CITIES) {
    for (const year of YEARS) {
      const cityTotal = getValue(city.total, c.code, year);
      const totals = scaledTotals(
        countiesOf(c.code),
        (code) => getValue(population, code, year),
        factorOf(c.code, year),
        cityTotal,
      );
      for (const k of countiesOf(c.code)) {
        const total = published("disposable_income_per_capita", k.code, year) ?? Math.round(totals.get(k.code)!);
        const ratio = ratioOf(c.code, k, year);
        const s = urbanWeight(city, c.code, k, year, weightShift.get(k.code)!);
        const rural =
          published("disposable_income_per_capita_rural", k.code, year) ?? Math.round(total / (s * ratio + 1 - s));
        setValue(out.total, k.code, year, total);
        setValue(
          out.urban,
          k.code,
          year,
          published("disposable_income_per_capita_urban", k.code, year) ?? Math.round(ratio * rural),
        );
        setValue(out.rural, k.code, year, rural);
      }
    }
  }
  return out;
}

/** The county's effective urban weight (total = s·urban + (1−s)·rural): its city's, higher in core districts. */
function urbanWeight(city: IncomeSeries, cityCode: string, k: Region, year: number, shift: number): number {
  const [t, u, r] = [city.total, city.urban, city.rural].map((s) => getValue(s, cityCode, year)) as [
    number,
    number,
    number,
  ];
  return clamp((t - r) / (u - r) + 0.15 * countyStanding(k) + shift, 0.3, 0.92);
}

/** Province income over the population-weighted income of the 11 eco counties (the plan's ≤1.5 target). */
export function ecoCountyRatio(
  provinceIncome: number,
  county: IncomeSeries,
  population: RegionSeries,
  ecoCodes: readonly string[],
  year: number,
): number {
  const w = ecoCodes.map((code) => getValue(population, code, year));
  const mean =
    ecoCodes.reduce((a, code, i) => a + getValue(county.total, code, year) * w[i]!, 0) / w.reduce((a, b) => a + b, 0);
  return provinceIncome / mean;
}
