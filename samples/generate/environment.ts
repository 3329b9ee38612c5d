// Monthly city readings, January 2020 to September 2025: PM2.5 (μg/m³, monthly mean) and the share of
// monitored surface-water sections at grade III or better (%). The province is the mean of the cities
// (PM2.5) or the share over all sections (water), as the department computes them.
import { CITIES, PROVINCE } from "./geography.ts";
import { randomFor } from "./prng.ts";
import { round } from "./series.ts";

export const LAST_MONTH = { year: 2025, month: 9 } as const;

/** City PM2.5 in 2020 (μg/m³), approximately: the inland basins high, the islands low (assumption). */
const PM25_2020: Readonly<Record<string, number>> = {
  "330100": 30,
  "330200": 25,
  "330300": 24,
  "330400": 29,
  "330500": 30,
  "330600": 30,
  "330700": 30,
  "330800": 29,
  "330900": 16,
  "331000": 22,
  "331100": 22,
};
/** Province-wide year factor: down, a 2023 rebound, down again (assumption). */
const PM25_YEAR: Readonly<Record<number, number>> = {
  2020: 1,
  2021: 0.96,
  2022: 0.95,
  2023: 1.0,
  2024: 0.93,
  2025: 0.89,
};
/** Winter inversions, summer monsoon. */
const PM25_MONTH = [1.55, 1.35, 1.15, 0.95, 0.85, 0.7, 0.55, 0.55, 0.65, 0.85, 1.15, 1.45] as const;

/** Monitored sections per city and the 2020 share at grade III or better (assumption). */
const WATER: Readonly<Record<string, readonly [sections: number, share2020: number]>> = {
  "330100": [30, 97],
  "330200": [24, 91],
  "330300": [26, 89],
  "330400": [22, 86],
  "330500": [16, 100],
  "330600": [18, 96],
  "330700": [20, 97],
  "330800": [12, 100],
  "330900": [6, 84],
  "331000": [20, 92],
  "331100": [16, 100],
};

export interface MonthlyReading {
  region: string;
  year: number;
  month: number;
  pm25: number;
  sections: number;
  sectionsGood: number;
}

export function* months(): Generator<{ year: number; month: number }> {
  for (let year = 2020; year <= LAST_MONTH.year; year++) {
    for (let month = 1; month <= 12; month++) {
      if (year === LAST_MONTH.year && month > LAST_MONTH.month) return;
      yield { year, month };
    }
  }
}

export function buildReadings(): MonthlyReading[] {
  const rnd = randomFor("environment");
  const out: MonthlyReading[] = [];
  for (const { year, month } of months()) {
    const cityRows = CITIES.map((c) => {
      const pm25 = Math.round(
        PM25_2020[c.code]! * PM25_YEAR[year]! * PM25_MONTH[month - 1]! * Math.exp(0.08 * rnd.normal()),
      );
      const [sections, share2020] = WATER[c.code]!;
      // Summer storms wash pollutants into rivers: the wet months are slightly worse.
      const share = Math.min(
        100,
        share2020 + 1.1 * (year - 2020) - (month >= 6 && month <= 8 ? 2 : 0) + 3 * rnd.normal(),
      );
      const sectionsGood = Math.max(0, Math.min(sections, Math.round((share / 100) * sections)));
      return { region: c.code, year, month, pm25, sections, sectionsGood };
    });
    const pm25 = Math.round(cityRows.reduce((a, r) => a + r.pm25, 0) / cityRows.length);
    const sections = cityRows.reduce((a, r) => a + r.sections, 0);
    const sectionsGood = cityRows.reduce((a, r) => a + r.sectionsGood, 0);
    out.push({ region: PROVINCE.code, year, month, pm25, sections, sectionsGood }, ...cityRows);
  }
  return out;
}

/** The share (%) a reading reports, one decimal. */
export function waterShare(r: Pick<MonthlyReading, "sections" | "sectionsGood">): number {
  return round((r.sectionsGood / r.sections) * 100, 1);
}

/** Annual PM2.5 (one decimal) and water share for complete years only. */
export function annualReadings(
  readings: readonly MonthlyReading[],
  region: string,
  year: number,
): { pm25: number; water: number } | undefined {
  const rows = readings.filter((r) => r.region === region && r.year === year);
  if (rows.length < 12) return undefined;
  const pm25 = round(rows.reduce((a, r) => a + r.pm25, 0) / rows.length, 1);
  const water = waterShare({
    sections: rows.reduce((a, r) => a + r.sections, 0),
    sectionsGood: rows.reduce((a, r) => a + r.sectionsGood, 0),
  });
  return { pm25, water };
}
