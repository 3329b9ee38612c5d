// Everything the six sample feeds print, built once from the calibration and the assumptions; the feed writers
// only format it.
import { CITIES, COUNTIES, PROVINCE, development } from "./geography.ts";
import { buildPopulation } from "./population.ts";
import { buildIncome, type IncomeSeries } from "./income.ts";
import { buildCountyIncome, ecoCountyRatio } from "./county-income.ts";
import { buildEconomy, type Economy } from "./economy.ts";
import { addCountyEconomy } from "./county-economy.ts";
import { buildPath, type PathSpec } from "./paths.ts";
import {
  CIVIL_HOUSING_PATHS,
  ECOLOGY_PATHS,
  EDUCATION_PATHS,
  HEALTH_PATHS,
  HRSS_PATHS,
  STATS_PATHS,
} from "./indicator-paths.ts";
import { countyCertification, cumulate, splitTotal } from "./counts.ts";
import { buildUnemployment, type QuarterValue } from "./labour.ts";
import { buildReadings, type MonthlyReading } from "./environment.ts";
import { buildDibao, type Dibao } from "./dibao.ts";
import { published } from "./published.ts";
import { YEARS, getValue, round, setValue, type RegionSeries } from "./series.ts";

/** A total split over the cities: province in its unit, cities in `scale` times finer units. */
export interface Split {
  province: RegionSeries;
  cities: RegionSeries;
  scale: number;
}

export interface SampleModel {
  population: RegionSeries;
  income: IncomeSeries;
  countyIncome: IncomeSeries;
  economy: Economy;
  /** Rate-like indicators by code (province and cities). */
  paths: Map<string, RegionSeries>;
  /** Shares of certified counties by code (province and cities). */
  certified: Map<string, RegionSeries>;
  splits: Map<string, Split>;
  /** Province-only ratios: the city max/min income ratio and the eco-county income ratio. */
  provinceRatios: Map<string, RegionSeries>;
  unemployment: QuarterValue[];
  readings: MonthlyReading[];
  dibao: Dibao;
}

const ALL_PATHS: readonly PathSpec[] = [
  ...STATS_PATHS,
  ...EDUCATION_PATHS,
  ...HEALTH_PATHS,
  ...HRSS_PATHS,
  ...CIVIL_HOUSING_PATHS,
  ...ECOLOGY_PATHS,
];

/** Land area of the cities (km², approximately): rivers and lakes follow the land, not the people. */
const CITY_AREA: Readonly<Record<string, number>> = {
  "330100": 16850,
  "330200": 9816,
  "330300": 12110,
  "330400": 4237,
  "330500": 5820,
  "330600": 8274,
  "330700": 10942,
  "330800": 8844,
  "330900": 1459,
  "331000": 9411,
  "331100": 17275,
};

export function buildSampleModel(): SampleModel {
  const population = buildPopulation();
  const income = buildIncome();
  const countyIncome = buildCountyIncome(income, population);
  const economy = buildEconomy(population);
  addCountyEconomy(economy, population);
  const weights = new Map(CITIES.map((c) => [c.code, getValue(population, c.code, 2020)]));
  const tilted = (tilt: number, base: ReadonlyMap<string, number> = weights) =>
    new Map(CITIES.map((c) => [c.code, base.get(c.code)! * Math.max(0.1, 1 + tilt * development(c.code))]));
  const gdp2020 = new Map(CITIES.map((c) => [c.code, getValue(economy.gdp, c.code, 2020)]));
  const split = (
    code: string,
    province: readonly (number | null)[],
    w: ReadonlyMap<string, number>,
    noise: number,
    scale: number,
    cumulative = false,
  ): [string, Split] => [code, { ...splitTotal({ code, province, weights: w, noise, scale, cumulative }), scale }];
  const splits = new Map<string, Split>([
    split("market_entities", [803.2, 868.5, 936.7, 1003.4, 1052.9, 1097.6], tilted(0.3), 0.03, 100),
    split("hightech_value_added_annual_increase", [960, 1330, 880, 1050, 1120, 1080], tilted(0.2, gdp2020), 0.15, 10),
    split("skilled_workers_total", [1025.3, 1058.8, 1089.6, 1121.4, 1150.7, 1182.0], tilted(0.2), 0.02, 100),
    split(
      "urban_new_employment_cumulative",
      cumulate([null, 122.4, 115.6, 117.3, 118.6, 116.0], 1),
      tilted(0.4),
      0.05,
      1e4,
      true,
    ),
    split(
      "vocational_training_person_times",
      cumulate([null, 128.5, 121.0, 117.8, 112.4, 108.0], 1),
      tilted(0.1),
      0.06,
      1e4,
      true,
    ),
    split("affordable_rental_units", cumulate([null, 5.6, 6.2, 5.1, 4.3, 3.4], 1), tilted(0.8), 0.15, 1e4, true),
    split("shantytown_resettlement_units", cumulate([null, 3.4, 3.1, 2.8, 2.4, 2.1], 1), tilted(-0.2), 0.2, 1e4, true),
    split(
      "beautiful_rivers_lakes_new",
      cumulate([null, 152, 148, 161, 135, 120], 0),
      new Map(Object.entries(CITY_AREA)),
      0.2,
      1,
      true,
    ),
  ]);
  const certified = new Map([
    [
      "preschool_universal_county_share",
      countyCertification("preschool_universal_county_share", [0, 9, 27, 46, 66, 79]),
    ],
    [
      "compulsory_edu_balanced_county_share",
      countyCertification("compulsory_edu_balanced_county_share", [0, 0, 6, 17, 30, 41]),
    ],
    ["clean_air_city_share", countyCertification("clean_air_city_share", [23, 38, 52, 63, 72, 79], -0.8)],
    ["zero_waste_county_share", countyCertification("zero_waste_county_share", [0, 12, 31, 45, 54, 58], 0.4)],
  ]);
  return {
    population,
    income,
    countyIncome,
    economy,
    splits,
    certified,
    paths: new Map(ALL_PATHS.map((spec) => [spec.code, buildPath(spec, weights)])),
    provinceRatios: provinceRatios(income, countyIncome, population),
    unemployment: buildUnemployment(),
    readings: buildReadings(),
    dibao: buildDibao(income, population),
  };
}

function provinceRatios(
  income: IncomeSeries,
  county: IncomeSeries,
  population: RegionSeries,
): Map<string, RegionSeries> {
  const maxMin: RegionSeries = new Map();
  const eco: RegionSeries = new Map();
  const ecoCodes = COUNTIES.filter((k) => k.eco11).map((k) => k.code);
  for (const year of YEARS) {
    const values = CITIES.map((c) => getValue(income.total, c.code, year));
    // The published end-of-plan-period figure wins over the ratio of the sample's city values.
    setValue(
      maxMin,
      PROVINCE.code,
      year,
      published("city_income_max_min_ratio", PROVINCE.code, year) ??
        round(Math.max(...values) / Math.min(...values), 2),
    );
    setValue(
      eco,
      PROVINCE.code,
      year,
      round(ecoCountyRatio(getValue(income.total, PROVINCE.code, year), county, population, ecoCodes, year), 2),
    );
  }
  return new Map([
    ["city_income_max_min_ratio", maxMin],
    ["eco_county_income_ratio", eco],
  ]);
}
