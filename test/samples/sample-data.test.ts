import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultCatalog, type Observation } from "../../schemas/index.ts";
import { parseCsv } from "../../schemas/catalog-csv.ts";
import { SAMPLES, SAMPLE_FEEDS, readSampleFeed, sampleSpecs, type FeedReading } from "./sample-feeds.ts";

const catalog = defaultCatalog();
const PROVINCE = "330000";
const CITIES = catalog.childrenOf(PROVINCE).map((r) => r.code);
const COUNTIES = catalog.regions.filter((r) => r.level === "county");
const YEARS = ["2020", "2021", "2022", "2023", "2024", "2025"];

const readings = new Map<string, FeedReading>();
let all: Observation[] = [];
/** indicator|region|period → observations, oldest vintage first. */
const index = new Map<string, Observation[]>();
const at = (indicator: string, region: string, period: string): Observation[] =>
  index.get(`${indicator}|${region}|${period}`) ?? [];
const value = (indicator: string, region: string, period: string): number => {
  const found = at(indicator, region, period);
  if (found.length === 0) throw new Error(`no ${indicator} for ${region} in ${period}`);
  return found[found.length - 1]!.value;
};

beforeAll(async () => {
  const specs = sampleSpecs();
  for (const [id, file] of Object.entries(SAMPLE_FEEDS)) readings.set(id, await readSampleFeed(specs.get(id)!, file));
  all = [...readings.values()].flatMap((r) => r.observations);
  for (const o of all)
    index.set(`${o.indicator}|${o.region}|${o.period}`, [
      ...(index.get(`${o.indicator}|${o.region}|${o.period}`) ?? []),
      o,
    ]);
  for (const list of index.values()) list.sort((a, b) => a.vintage.localeCompare(b.vintage));
});

describe("the six sample feeds", () => {
  it("load through the real readers and normaliser without a single dead letter", () => {
    for (const [id, r] of readings) {
      expect(r.rejected, id).toEqual([]);
      expect(r.observations.length, id).toBeGreaterThan(400);
    }
  });

  it("cover at least 40 of the plan's 74 targets for the province and all 11 cities, from 2020 (or the series' start) to 2025", () => {
    const targets = catalog.indicators.filter((i) => i.kind === "target");
    expect(targets).toHaveLength(74);
    const covered = targets.filter((t) => {
      const mine = all.filter((o) => o.indicator === t.code);
      const regions = new Set(mine.map((o) => o.region));
      const provinceYears = new Set(mine.filter((o) => o.region === PROVINCE).map((o) => o.period.slice(0, 4)));
      return (
        [PROVINCE, ...CITIES].every((r) => regions.has(r)) &&
        provinceYears.has("2025") &&
        (provinceYears.has("2020") || provinceYears.has("2021"))
      );
    });
    expect(covered.length).toBeGreaterThanOrEqual(40);
  });

  it("give income (all, urban, rural) and population for all 90 county-level units in every year", () => {
    expect(COUNTIES).toHaveLength(90);
    for (const k of COUNTIES) {
      for (const y of YEARS) {
        for (const code of [
          "disposable_income_per_capita",
          "disposable_income_per_capita_urban",
          "disposable_income_per_capita_rural",
          "resident_population",
        ]) {
          expect(at(code, k.code, y).length, `${code} ${k.nameZh} ${y}`).toBe(1);
        }
        expect(value("disposable_income_per_capita_urban", k.code, y)).toBeGreaterThan(
          value("disposable_income_per_capita_rural", k.code, y),
        );
      }
    }
  });

  it("add the counties up to their city: population within 0.1%, population-weighted income within 1%", () => {
    for (const city of CITIES) {
      const members = catalog.childrenOf(city).map((k) => k.code);
      for (const y of YEARS) {
        const pops = members.map((k) => value("resident_population", k, y));
        const total = pops.reduce((a, b) => a + b, 0);
        expect(Math.abs(total / value("resident_population", city, y) - 1), `${city} ${y}`).toBeLessThan(0.001);
        const income =
          members.reduce((a, k, i) => a + value("disposable_income_per_capita", k, y) * pops[i]!, 0) / total;
        expect(Math.abs(income / value("disposable_income_per_capita", city, y) - 1), `${city} ${y}`).toBeLessThan(
          0.01,
        );
      }
    }
  });

  it("put the 26 mountain counties below the other counties of their city, and Quzhou and Lishui last among the cities", () => {
    for (const y of YEARS) {
      for (const city of CITIES) {
        const members = catalog.childrenOf(city);
        const mean = (list: typeof members) =>
          list.reduce((a, k) => a + value("disposable_income_per_capita", k.code, y), 0) / list.length;
        const mountain = members.filter((k) => k.mountain26 && k.countyType !== "district");
        const rest = members.filter((k) => !k.mountain26);
        if (mountain.length > 0 && rest.length > 0) expect(mean(mountain), `${city} ${y}`).toBeLessThan(mean(rest));
      }
      const ranked = [...CITIES].sort(
        (a, b) => value("disposable_income_per_capita", a, y) - value("disposable_income_per_capita", b, y),
      );
      expect(new Set(ranked.slice(0, 2)), y).toEqual(new Set(["330800", "331100"]));
    }
  });

  it("keep the ratio of the richest to the poorest city's income between 1.5 and 1.7 every year", () => {
    for (const y of YEARS) {
      const incomes = CITIES.map((c) => value("disposable_income_per_capita", c, y));
      const ratio = Math.max(...incomes) / Math.min(...incomes);
      expect(ratio, y).toBeGreaterThanOrEqual(1.5);
      expect(ratio, y).toBeLessThanOrEqual(1.7);
    }
  });

  it("print every published figure exactly as published (samples/calibration/published-stats.csv)", () => {
    const rows = parseCsv(readFileSync(join(SAMPLES, "calibration", "published-stats.csv"), "utf8")).slice(1);
    let checked = 0;
    for (const { fields } of rows) {
      const [indicator = "", region = "", period = "", text = ""] = fields;
      if (!catalog.indicator(indicator) || !/^\d{4}$/.test(period)) continue;
      const found = at(indicator, region, period);
      expect(found.length, `${indicator} ${region} ${period}`).toBeGreaterThan(0);
      // The first vintage is what the bulletin published; a later one may be a revision.
      const first = found[0]!.value;
      if (text.startsWith(">"))
        expect(first, `${indicator} ${region} ${period}`).toBeGreaterThan(Number(text.slice(1)));
      else expect(first, `${indicator} ${region} ${period}`).toBeCloseTo(Number(text), 9);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(60);
    // The 2024 bulletin revised 2023 GDP after the fifth economic census: the newest vintage carries it.
    expect(value("gdp", PROVINCE, "2023")).toBe(85620);
    expect(at("gdp", PROVINCE, "2023").map((o) => o.value)).toEqual([82553, 85620]);
  });

  it("read monthly ecology data from 2020-01 to 2025-09 and the unemployment rate by quarter, for the province and every city", () => {
    const months = YEARS.flatMap((y) =>
      Array.from({ length: 12 }, (_, i) => `${y}-${String(i + 1).padStart(2, "0")}`),
    ).filter((m) => m <= "2025-09");
    const quarters = YEARS.flatMap((y) => [1, 2, 3, 4].map((q) => `${y}Q${q}`));
    for (const region of [PROVINCE, ...CITIES]) {
      for (const m of months) {
        expect(at("pm25_concentration", region, m).length, `${region} ${m}`).toBe(1);
        expect(at("surface_water_grade3_share", region, m).length, `${region} ${m}`).toBe(1);
      }
      const q = quarters.filter((p) => at("urban_surveyed_unemployment_rate", region, p).length === 1);
      // Zhoushan's 2020Q1 figure is a documented gap (—) in the department's file.
      expect(q.length, region).toBe(region === "330900" ? quarters.length - 1 : quarters.length);
    }
    expect(at("pm25_concentration", PROVINCE, "2025-10")).toEqual([]);
  });

  it("move the province toward the 2025 targets: better in 2025 (or the last year) than in 2020 (or the first)", () => {
    // The income/GDP ratio really fell in these years (GDP per capita grew faster than incomes); the allowance gap
    // is a yearly margin that must stay at or above 0, not a level that grows.
    const exceptions = new Set(["income_to_gdp_per_capita_ratio", "dibao_vs_income_growth_gap"]);
    for (const t of catalog.indicators.filter((i) => i.kind === "target" && !exceptions.has(i.code))) {
      const series = all
        .filter((o) => o.indicator === t.code && o.region === PROVINCE && /^\d{4}$/.test(o.period))
        .sort((a, b) => a.period.localeCompare(b.period) || a.vintage.localeCompare(b.vintage));
      if (series.length < 2) continue;
      const [first, last] = [series[0]!.value, series[series.length - 1]!.value];
      if (t.direction === "higher") expect(last, t.code).toBeGreaterThan(first);
      else expect(last, t.code).toBeLessThan(first);
    }
  });
});
