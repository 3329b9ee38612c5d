// Per-capita disposable income (all, urban, rural) of the province and the 11 cities, 2020-2025.
import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { resolveRegion } from "../../schemas/index.ts";
import { CITIES, PROVINCE, development } from "./geography.ts";
import { published, publishedPartYear } from "./published.ts";
import { YEARS, getValue, interpolate, round, setValue, type RegionSeries } from "./series.ts";

/** The statistics bureau's income sample that predates this generator: its totals are kept as they are. */
export const INCOME_SAMPLE = new URL("../feeds/stats-bureau/zj-income-2020-2024.csv", import.meta.url);

export interface IncomeSeries {
  total: RegionSeries;
  urban: RegionSeries;
  rural: RegionSeries;
}

/** 2025 growth: 5.0% for the province (assumption); faster in the mountain cities, slower in Hangzhou. */
const PROVINCE_GROWTH_2025 = 0.05;
function cityGrowth2025(code: string): number {
  const d = development(code);
  return PROVINCE_GROWTH_2025 - 0.006 * d + (d < -0.5 ? 0.006 : 0);
}

function readExistingTotals(): RegionSeries {
  const text = iconv.decode(readFileSync(INCOME_SAMPLE), "gbk");
  const series: RegionSeries = new Map();
  for (const line of text.split(/\r?\n/).slice(2)) {
    const [name, year, value] = line.split(",");
    if (!name || !year || !value) continue;
    const region = resolveRegion(name);
    if (!region.ok) throw new Error(`unknown region ${name} in the income sample`);
    setValue(series, region.region.code, Number.parseInt(year, 10), Number(value));
  }
  return series;
}

/** Annual urban/rural ratio over Jan-Sep ratio, from the province's 2020 figures (annual 1.9636, Jan-Sep 1.8641). */
const ANNUAL_OVER_JAN_SEP = 62699 / 31930 / (47545 / 25505);

/** Urban-rural ratio anchors by year; the rest is interpolated and falls 0.025 a year after the last anchor. */
function ratioAnchors(code: string): [number, number][] {
  if (code === PROVINCE.code)
    return [
      [2020, 62699 / 31930],
      [2021, 1.94],
      [2023, 1.86],
      [2025, 1.81],
    ];
  const anchors: [number, number][] = [];
  for (const year of YEARS) {
    const k = published("urban_rural_income_ratio", code, year);
    const u = published("disposable_income_per_capita_urban", code, year);
    const r = published("disposable_income_per_capita_rural", code, year);
    if (k !== undefined) anchors.push([year, k]);
    else if (u !== undefined && r !== undefined) anchors.push([year, u / r]);
  }
  const first = anchors[0];
  const janSep =
    (publishedPartYear("disposable_income_per_capita_urban", code, "2020Q1-Q3") ?? NaN) /
    (publishedPartYear("disposable_income_per_capita_rural", code, "2020Q1-Q3") ?? NaN);
  const start: [number, number] =
    first && first[0] <= 2022 ? [2020, first[1] + 0.02 * (first[0] - 2020)] : [2020, janSep * ANNUAL_OVER_JAN_SEP];
  const all = first?.[0] === 2020 ? anchors : [start, ...anchors];
  const last = all[all.length - 1]!;
  return last[0] < 2025 ? [...all, [2025, last[1] - 0.025 * (2025 - last[0])]] : all;
}

/** The effective urban weight in the income survey: s with total = s·urban + (1−s)·rural. */
function urbanWeight(code: string, year: number): number {
  const t = publishedPartYear("disposable_income_per_capita", code, "2020Q1-Q3");
  const u = publishedPartYear("disposable_income_per_capita_urban", code, "2020Q1-Q3");
  const r = publishedPartYear("disposable_income_per_capita_rural", code, "2020Q1-Q3");
  const s2020 =
    code === PROVINCE.code ? (52397 - 31930) / (62699 - 31930) : ((t ?? 0) - (r ?? 0)) / ((u ?? 1) - (r ?? 0));
  return s2020 + 0.006 * (year - 2020);
}

function splitIncome(code: string, year: number, total: number): [urban: number, rural: number] {
  const u = published("disposable_income_per_capita_urban", code, year);
  const r = published("disposable_income_per_capita_rural", code, year);
  if (u !== undefined && r !== undefined) return [u, r];
  const k = interpolate(ratioAnchors(code), year);
  if (r !== undefined) return [Math.round(k * r), r];
  const s = urbanWeight(code, year);
  const rural = Math.round(total / (s * k + 1 - s));
  return [Math.round(k * rural), rural];
}

export function buildIncome(): IncomeSeries {
  const total = readExistingTotals();
  const provinceLast = getValue(total, PROVINCE.code, 2024);
  setValue(total, PROVINCE.code, 2025, Math.round(provinceLast * (1 + PROVINCE_GROWTH_2025)));
  for (const city of CITIES)
    setValue(total, city.code, 2025, Math.round(getValue(total, city.code, 2024) * (1 + cityGrowth2025(city.code))));
  const urban: RegionSeries = new Map();
  const rural: RegionSeries = new Map();
  for (const region of [PROVINCE, ...CITIES]) {
    for (const year of YEARS) {
      const [u, r] = splitIncome(region.code, year, getValue(total, region.code, year));
      setValue(urban, region.code, year, u);
      setValue(rural, region.code, year, r);
    }
  }
  return { total, urban, rural };
}

/** The ratio a bulletin prints: urban over rural, two decimals. */
export function incomeRatio(urban: number, rural: number): number {
  return round(urban / rural, 2);
}
