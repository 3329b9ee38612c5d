import { CITIES, type SyntheticObs } from "./synthetic-warehouse.ts";

export const PUBLISHED = "2025-01-20T02:00:00.000Z";
export const REVISED = "2025-06-01T02:00:00.000Z";
/** 2024 incomes of the 11 cities, Hangzhou first, Lishui last: max/min = 80,000 / 50,000 = 1.6. */
export const CITY_INCOME_2024 = [80000, 78000, 70000, 66000, 64000, 62000, 60000, 58000, 56000, 54000, 50000];

/**
 * A small, hand-computable province for a 2025-09 run (target end 2025-09-30):
 * - income 2024 = 67,500 (target 75,000, 2020 = 50,000): ratio 0.9, progress 0.7, path 70,000 in 2024 so not on track;
 * - urban 74,000 / rural 40,000 (no reported ratio): derived urban-rural ratio 1.85 <= 1.9, degree 1;
 * - the 11 cities' incomes: derived max/min ratio 1.6 against <= 1.55, degree 1.55 / 1.6 = 0.96875;
 * - life expectancy 82 > 80: 1; PM2.5 2025-08 = 25 after 27 in 2025-07 (trend_down): 1; surface water 2025-09 = 95: 1;
 * - four counties in two cities (Hangzhou 40,000 ×2, Lishui 80,000 ×2, population 10 each) for Theil T.
 */
export function provinceScenario(): SyntheticObs[] {
  const p = "330000";
  const rows: SyntheticObs[] = [
    {
      indicator: "disposable_income_per_capita",
      region: p,
      period: "2020",
      value: 50000,
      vintage: "2021-01-20T02:00:00Z",
      uri: "stats/income-2020.csv",
      line: 2,
    },
    {
      indicator: "disposable_income_per_capita",
      region: p,
      period: "2024",
      value: 67500,
      vintage: PUBLISHED,
      uri: "stats/income-2024.csv",
      line: 2,
    },
    {
      indicator: "disposable_income_per_capita_urban",
      region: p,
      period: "2024",
      value: 74000,
      vintage: PUBLISHED,
      uri: "stats/income-2024.csv",
      line: 3,
    },
    {
      indicator: "disposable_income_per_capita_rural",
      region: p,
      period: "2024",
      value: 40000,
      vintage: PUBLISHED,
      uri: "stats/income-2024.csv",
      line: 4,
    },
    {
      indicator: "life_expectancy",
      region: p,
      period: "2024",
      value: 82,
      vintage: PUBLISHED,
      uri: "health/2024.csv",
      line: 7,
    },
    {
      indicator: "pm25_concentration",
      region: p,
      period: "2025-07",
      value: 27,
      vintage: "2025-08-10T00:00:00Z",
      uri: "env/pm25.ndjson",
      line: 7,
    },
    {
      indicator: "pm25_concentration",
      region: p,
      period: "2025-08",
      value: 25,
      vintage: "2025-09-10T00:00:00Z",
      uri: "env/pm25.ndjson",
      line: 8,
    },
    {
      indicator: "surface_water_grade3_share",
      region: p,
      period: "2025-09",
      value: 95,
      vintage: "2025-09-25T00:00:00Z",
      uri: "env/water.ndjson",
      line: 9,
    },
  ];
  CITIES.forEach((city, i) => {
    rows.push({
      indicator: "disposable_income_per_capita",
      region: city,
      period: "2024",
      value: CITY_INCOME_2024[i]!,
      vintage: PUBLISHED,
      uri: "stats/income-2024.csv",
      line: 10 + i,
    });
  });
  const counties: [string, number][] = [
    ["330102", 40000],
    ["330105", 40000],
    ["331123", 80000],
    ["331125", 80000],
  ];
  counties.forEach(([county, income], i) => {
    rows.push({
      indicator: "disposable_income_per_capita",
      region: county,
      period: "2024",
      value: income,
      vintage: PUBLISHED,
      uri: "stats/county-2024.csv",
      line: 2 + i,
    });
    rows.push({
      indicator: "resident_population",
      region: county,
      period: "2024",
      value: 10,
      vintage: PUBLISHED,
      uri: "stats/county-2024.csv",
      line: 20 + i,
    });
  });
  return rows;
}

/** The province's 2024 income, revised upwards and published in June 2025. */
export const REVISION: SyntheticObs = {
  indicator: "disposable_income_per_capita",
  region: "330000",
  period: "2024",
  value: 69000,
  vintage: REVISED,
  uri: "stats/income-2024-revised.csv",
  line: 2,
};
