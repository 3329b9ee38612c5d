// 空气质量自动监测站 sample readings: hourly PM2.5 (μg/m³) at monitoring stations, one row per station and hour, the
// hour in China Standard Time. Calibrated on the ecology sample's monthly city means (environment.ts, the figures the
// ecology feed publishes): every city's days of a month average to that month's city mean, so the city's annual
// mean of daily means lands within a few tenths of the published annual value.
// The shape (assumptions, realistic ranges): a day's level moves with the weather shared by the city's stations
// (log-normal, σ 0.42, carried over from day to day with ρ 0.7), each station sits a little above or below its city
// (σ 8%), the hours follow a morning and evening peak (±15%) with noise (σ 18%), and about 1% of the hours have no
// reading (the analyser's calibration or a fault: left empty, as the department's export does).
// The shipped sample (samples/feeds/air-stations/) has one station per city for 2024: 11 × 8,784 hours. The bench
// writes every station (STATIONS_PER_CITY: 102, the order of the province's national control stations) for any
// years: `node samples/generate/air-stations-file.ts --years 2024 --out <file>`.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CITIES, countiesOf } from "./geography.ts";
import { csvText, SAMPLE_LABEL, type SampleFile } from "./format.ts";
import { buildReadings, type MonthlyReading } from "./environment.ts";
import { writeLinesFile } from "./lines-file.ts";
import { randomFor } from "./prng.ts";

export const STATIONS_SAMPLE_YEAR = 2024;
/** Stations per city (assumption: the order of the national control network, 102 in all). */
export const STATIONS_PER_CITY: Readonly<Record<string, number>> = {
  "330100": 16,
  "330200": 13,
  "330300": 10,
  "330400": 8,
  "330500": 7,
  "330600": 9,
  "330700": 10,
  "330800": 6,
  "330900": 6,
  "331000": 10,
  "331100": 7,
};
export const STATIONS_HEADER = ["station_id", "county_code", "city_code", "read_at", "pm25"] as const;

export interface Station {
  id: string;
  county: string;
  city: string;
}

/** The stations of every city, in the city's counties in turn (the city's first station in its first district). */
export function stations(perCity: (city: string) => number = (c) => STATIONS_PER_CITY[c]!): Station[] {
  const out: Station[] = [];
  let n = 1001;
  for (const city of CITIES) {
    const counties = countiesOf(city.code);
    for (let i = 0; i < perCity(city.code); i++)
      out.push({ id: `${n++}A`, county: counties[i % counties.length]!.code, city: city.code });
  }
  return out;
}

/** Relative level by hour of day: morning and evening peaks, a clean afternoon; mean 1 over the day. */
const DIURNAL = Array.from(
  { length: 24 },
  (_, h) => 1 + 0.15 * Math.cos(((h - 8) * Math.PI) / 6) * (h < 4 || h > 13 ? 0.6 : 1),
);
const DIURNAL_MEAN = DIURNAL.reduce((a, b) => a + b, 0) / 24;
const pad = (n: number): string => String(n).padStart(2, "0");

/**
 * Daily levels of one city for a year, each month scaled so its days average to the month's city mean (the
 * ecology sample's). Weather is shared by the city's stations.
 */
function cityDays(city: string, year: number, monthly: readonly MonthlyReading[]): number[] {
  const r = randomFor(`air-stations/${city}/${year}`);
  const out: number[] = [];
  let weather = 0;
  for (let month = 1; month <= 12; month++) {
    const target = monthly.find((m) => m.region === city && m.year === year && m.month === month)?.pm25;
    if (target === undefined) throw new Error(`no monthly PM2.5 for ${city} ${year}-${month}`);
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const raw: number[] = [];
    for (let d = 0; d < days; d++) {
      weather = 0.7 * weather + Math.sqrt(1 - 0.49) * 0.42 * r.normal();
      raw.push(Math.exp(weather));
    }
    const mean = raw.reduce((a, b) => a + b, 0) / days;
    for (const x of raw) out.push((target * x) / mean);
  }
  return out;
}

/** Hands each CSV line (without its line end) of the stations' hourly readings to `emit`; returns the rows. */
export function generateReadings(
  list: readonly Station[],
  years: readonly number[],
  emit: (line: string) => void,
): number {
  const monthly = buildReadings();
  let rows = 0;
  for (const year of years) {
    const days = new Map(CITIES.map((c) => [c.code, cityDays(c.code, year, monthly)]));
    // Each station's level relative to its city, scaled so that the city's stations average to the city.
    const offsets = new Map(list.map((s) => [s.id, Math.exp(0.08 * randomFor(`air-stations/${s.id}`).normal())]));
    const cityMean = new Map(
      CITIES.map((c) => {
        const own = list.filter((s) => s.city === c.code).map((s) => offsets.get(s.id)!);
        return [c.code, own.reduce((a, b) => a + b, 0) / Math.max(1, own.length)];
      }),
    );
    for (const s of list) {
      const r = randomFor(`air-stations/${s.id}/${year}`);
      const offset = offsets.get(s.id)! / cityMean.get(s.city)!;
      const level = days.get(s.city)!;
      let day = 0;
      for (let month = 1; month <= 12; month++) {
        const inMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
        for (let d = 1; d <= inMonth; d++, day++)
          for (let h = 0; h < 24; h++) {
            const noise = Math.exp(0.18 * r.normal() - 0.0162);
            const missing = r.uniform() < 0.01;
            const value = Math.round((level[day]! * offset * DIURNAL[h]! * noise) / DIURNAL_MEAN);
            emit(
              `${s.id},${s.county},${s.city},${year}-${pad(month)}-${pad(d)}T${pad(h)}:00:00+08:00,${missing ? "" : value}`,
            );
            rows++;
          }
      }
    }
  }
  return rows;
}

const title = (what: string): string => `浙江省空气质量自动监测站PM2.5小时浓度 ${what}（${SAMPLE_LABEL}）`;

/** The shipped sample: one station per city, one year. */
export function airStationsFile(): SampleFile {
  const lines: string[] = [];
  generateReadings(
    stations(() => 1),
    [STATIONS_SAMPLE_YEAR],
    (l) => lines.push(l),
  );
  const head = csvText([[title(`${STATIONS_SAMPLE_YEAR}年 每市1站`)], [...STATIONS_HEADER]]);
  return {
    path: `feeds/air-stations/zj-air-stations-${STATIONS_SAMPLE_YEAR}.csv`,
    bytes: Buffer.from(`${head}${lines.join("\r\n")}\r\n`, "utf8"),
  };
}

/** Writes every station's readings for `years` to `path` in pieces; returns the rows and stations. */
export function writeReadingsFile(path: string, years: readonly number[]): { rows: number; stations: number } {
  const list = stations();
  const head = csvText([[title(`${years.join(",")}年`)], [...STATIONS_HEADER]]).trimEnd();
  const rows = writeLinesFile(path, head, (emit) => generateReadings(list, years, emit));
  return { rows, stations: list.length };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { years: { type: "string", default: "2024" }, out: { type: "string" } } });
  if (values.out === undefined) throw new Error("--out <file> is needed");
  const years = values.years.split(",").map(Number);
  process.stdout.write(`${JSON.stringify(writeReadingsFile(resolve(values.out), years))}\n`);
}
