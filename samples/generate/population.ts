// Resident population (万人) of the province, the 11 cities and the 90 county-level units, year-end 2020-2025.
import { CITIES, PROVINCE, countiesOf, countyStanding } from "./geography.ts";
import { published } from "./published.ts";
import { YEARS, round, setValue, type RegionSeries } from "./series.ts";

/** Province 2025: not in the reference table; 2024 plus the 2022-2024 average increase (assumption). */
const PROVINCE_2025 = 6710;

/** City shares of the 2020 census count, approximately (background knowledge, rescaled to the census total). */
const CITY_2020: Readonly<Record<string, number>> = {
  "330100": 1193.6,
  "330200": 940.4,
  "330300": 957.3,
  "330400": 540.1,
  "330500": 336.8,
  "330600": 527.1,
  "330700": 705.1,
  "330800": 227.6,
  "330900": 115.8,
  "331000": 662.3,
  "331100": 250.7,
};

/** Yearly growth of each city relative to the others: Hangzhou and Ningbo draw migrants, the mountain cities do not. */
const CITY_GROWTH: Readonly<Record<string, number>> = {
  "330100": 0.014,
  "330200": 0.01,
  "330300": 0.002,
  "330400": 0.008,
  "330500": 0.005,
  "330600": 0.005,
  "330700": 0.009,
  "330800": -0.001,
  "330900": 0.001,
  "331000": 0.002,
  "331100": 0,
};

/** County-level units in the 2020 census, approximately (万人); rescaled to their city's total each year. */
const COUNTY_2020: Readonly<Record<string, number>> = {
  "330102": 132.4,
  "330105": 118.4,
  "330106": 114.6,
  "330108": 50.4,
  "330109": 201.1,
  "330110": 122.6,
  "330111": 83.5,
  "330112": 64.2,
  "330113": 117.5,
  "330114": 76.9,
  "330122": 45.5,
  "330127": 32.9,
  "330182": 44.3,
  "330203": 100.1,
  "330205": 48.8,
  "330206": 82.6,
  "330211": 52.2,
  "330212": 161.2,
  "330213": 57.8,
  "330225": 57.2,
  "330226": 69.6,
  "330281": 125.4,
  "330282": 182.9,
  "330302": 129.9,
  "330303": 76.9,
  "330304": 95.9,
  "330305": 10.8,
  "330324": 86.9,
  "330326": 86.3,
  "330327": 84.5,
  "330328": 28.8,
  "330329": 26.6,
  "330381": 152.3,
  "330382": 145.3,
  "330383": 46.5,
  "330402": 62.5,
  "330411": 68.8,
  "330421": 64.6,
  "330424": 43.4,
  "330481": 107.6,
  "330482": 67.1,
  "330483": 102.9,
  "330502": 80.2,
  "330503": 55.1,
  "330521": 54.9,
  "330522": 67.4,
  "330523": 58.1,
  "330602": 100.5,
  "330603": 110.3,
  "330604": 80.2,
  "330624": 43.2,
  "330681": 122.0,
  "330683": 67.5,
  "330702": 78.5,
  "330703": 50.3,
  "330723": 46.4,
  "330726": 46.1,
  "330727": 18.0,
  "330781": 58.2,
  "330782": 185.9,
  "330783": 108.9,
  "330784": 96.4,
  "330802": 53.4,
  "330803": 40.2,
  "330822": 26.0,
  "330824": 25.3,
  "330825": 36.2,
  "330881": 49.2,
  "330902": 47.1,
  "330903": 38.2,
  "330921": 20.2,
  "330922": 6.8,
  "331002": 60.4,
  "331003": 65.2,
  "331004": 64.4,
  "331022": 37.9,
  "331023": 45.2,
  "331024": 42.4,
  "331081": 143.4,
  "331082": 111.5,
  "331083": 64.3,
  "331102": 55.6,
  "331121": 37.4,
  "331122": 41.2,
  "331123": 19.4,
  "331124": 19.6,
  "331125": 12.2,
  "331126": 14.4,
  "331127": 11.5,
  "331181": 24.8,
};

function provinceTotal(year: number): number {
  if (year === 2025) return PROVINCE_2025;
  const value = published("resident_population", PROVINCE.code, year);
  if (value === undefined) throw new Error(`no published provincial population for ${year}`);
  return value;
}

function rescaled(raw: readonly (readonly [string, number])[], total: number, decimals: number): [string, number][] {
  const sum = raw.reduce((a, [, v]) => a + v, 0);
  return raw.map(([code, v]) => [code, round((v * total) / sum, decimals)]);
}

/** Year-end resident population: the province as published, cities and counties summing to their parent. */
export function buildPopulation(): RegionSeries {
  const series: RegionSeries = new Map();
  for (const year of YEARS) {
    const total = provinceTotal(year);
    setValue(series, PROVINCE.code, year, total);
    const t = year - 2020;
    const cityRaw = CITIES.map((c) => [c.code, CITY_2020[c.code]! * (1 + CITY_GROWTH[c.code]!) ** t] as const);
    for (const [cityCode, cityPop] of rescaled(cityRaw, total, 2)) {
      setValue(series, cityCode, year, cityPop);
      const countyRaw = countiesOf(cityCode).map((k) => {
        const growth = 0.004 + 0.008 * countyStanding(k) + CITY_GROWTH[cityCode]!;
        return [k.code, COUNTY_2020[k.code]! * (1 + growth) ** t] as const;
      });
      for (const [code, pop] of rescaled(countyRaw, cityPop, 2)) setValue(series, code, year, pop);
    }
  }
  return series;
}

/** The mean of a year-end and the previous year-end: the denominator of per-capita GDP. */
export function averagePopulation(series: RegionSeries, region: string, year: number): number {
  const end = series.get(region)?.get(year);
  if (end === undefined) throw new Error(`no population for ${region} in ${year}`);
  const before = series.get(region)?.get(year - 1) ?? end / (1 + 0.006);
  return (end + before) / 2;
}
