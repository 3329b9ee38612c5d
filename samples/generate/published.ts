// Published figures the samples are calibrated on: samples/calibration/published-stats.csv, a copy of the
// project's reference table with a source for every value.
import { readFileSync } from "node:fs";
import { parseCsv } from "../../schemas/catalog-csv.ts";

export const PUBLISHED_CSV = new URL("../calibration/published-stats.csv", import.meta.url);

export interface PublishedFigure {
  indicator: string;
  region: string;
  /** The period as written: 2021, 2020Q1-Q3, 2023H1. */
  period: string;
  /** The value as written: 52397, or a bound such as ">98". */
  value: string;
  unit: string;
  source: string;
}

let cached: readonly PublishedFigure[] | undefined;

export function publishedFigures(): readonly PublishedFigure[] {
  cached ??= parseCsv(readFileSync(PUBLISHED_CSV, "utf8"))
    .slice(1)
    .map(({ fields: [indicator = "", region = "", period = "", value = "", unit = "", source = ""] }) => ({
      indicator,
      region,
      period,
      value,
      unit,
      source,
    }));
  return cached;
}

/** An exact annual figure (not a bound, not a part-year cumulative), or undefined. */
export function published(indicator: string, region: string, year: number): number | undefined {
  const hit = publishedFigures().find(
    (f) => f.indicator === indicator && f.region === region && f.period === String(year),
  );
  if (!hit || !/^-?\d+(\.\d+)?$/.test(hit.value)) return undefined;
  return Number(hit.value);
}

/** A part-year figure such as the Jan-Sep 2020 city incomes (period `2020Q1-Q3`). */
export function publishedPartYear(indicator: string, region: string, period: string): number | undefined {
  const hit = publishedFigures().find((f) => f.indicator === indicator && f.region === region && f.period === period);
  return hit ? Number(hit.value) : undefined;
}
