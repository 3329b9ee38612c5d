// Province indicators the plan defines from other values, computed where they are not reported.
import { maxMinRatio } from "./math/index.ts";
import { addToSnapshot, seriesOf, type EvalCatalog, type ObsRow, type Snapshot } from "./model.ts";

export const INCOME = "disposable_income_per_capita";
export const INCOME_URBAN = "disposable_income_per_capita_urban";
export const INCOME_RURAL = "disposable_income_per_capita_rural";
export const POPULATION = "resident_population";
export const CITY_RATIO = "city_income_max_min_ratio";
export const URBAN_RURAL = "urban_rural_income_ratio";
export const ECO_RATIO = "eco_county_income_ratio";

/** Indicators that only exist for the province, because they compare its cities or counties. */
export const PROVINCE_ONLY: ReadonlySet<string> = new Set([CITY_RATIO, ECO_RATIO]);

export interface DerivedSummary {
  readonly indicator: string;
  readonly region: string;
  readonly rule: string;
  readonly periods: readonly string[];
}

const RULES = {
  [CITY_RATIO]: "max/min of the 11 cities' disposable_income_per_capita 设区市人均可支配收入最高最低倍差",
  [URBAN_RURAL]: "disposable_income_per_capita_urban / disposable_income_per_capita_rural 城镇/农村居民人均可支配收入",
  [ECO_RATIO]:
    "province disposable_income_per_capita / mean of the 11 key ecological counties " +
    "(population-weighted where every county has resident_population)",
} as const;

function derived(
  indicator: keyof typeof RULES,
  region: string,
  period: string,
  value: number,
  inputs: readonly ObsRow[],
): ObsRow {
  // biome-ignore lint/complexity/useMathMinMax: vintages are ISO strings; the latest is the greatest string
  const vintage = inputs.reduce((v, o) => (o.vintage > v ? o.vintage : v), "");
  return { indicator, region, period, value, vintage, obsKey: null, derivedFrom: inputs, rule: RULES[indicator] };
}

/** Periods at which every one of `regions` reports `indicator`, with those observations. */
function commonPeriods(s: Snapshot, indicator: string, regions: readonly string[]): Map<string, ObsRow[]> {
  const out = new Map<string, ObsRow[]>();
  if (regions.length === 0) return out;
  for (const [period] of seriesOf(s, indicator, regions[0]!)) {
    const obs = regions.map((r) => seriesOf(s, indicator, r).get(period));
    if (obs.every((o) => o !== undefined)) out.set(period, obs as ObsRow[]);
  }
  return out;
}

function deriveCityRatio(s: Snapshot, province: string, cities: readonly string[]): ObsRow[] {
  const reported = seriesOf(s, CITY_RATIO, province);
  return [...commonPeriods(s, INCOME, cities)]
    .filter(([period, obs]) => !reported.has(period) && obs.every((o) => o.value > 0))
    .map(([period, obs]) => derived(CITY_RATIO, province, period, maxMinRatio(obs.map((o) => o.value)), obs));
}

function deriveUrbanRural(s: Snapshot, regions: readonly string[]): ObsRow[] {
  const out: ObsRow[] = [];
  for (const region of regions) {
    const reported = seriesOf(s, URBAN_RURAL, region);
    const rural = seriesOf(s, INCOME_RURAL, region);
    for (const [period, u] of seriesOf(s, INCOME_URBAN, region)) {
      const r = rural.get(period);
      if (r && r.value > 0 && !reported.has(period))
        out.push(derived(URBAN_RURAL, region, period, u.value / r.value, [u, r]));
    }
  }
  return out;
}

function deriveEcoRatio(s: Snapshot, province: string, eco: readonly string[]): ObsRow[] {
  const reported = seriesOf(s, ECO_RATIO, province);
  const provinceIncome = seriesOf(s, INCOME, province);
  const out: ObsRow[] = [];
  for (const [period, incomes] of commonPeriods(s, INCOME, eco)) {
    const p = provinceIncome.get(period);
    if (!p || reported.has(period)) continue;
    const pops = eco.map((r) => seriesOf(s, POPULATION, r).get(period));
    const weighted = pops.every((o) => o !== undefined && o.value > 0);
    const w = incomes.map((_, i) => (weighted ? pops[i]!.value : 1));
    const mean = incomes.reduce((acc, o, i) => acc + o.value * w[i]!, 0) / w.reduce((a, b) => a + b, 0);
    if (mean > 0)
      out.push(
        derived(ECO_RATIO, province, period, p.value / mean, [p, ...incomes, ...(weighted ? (pops as ObsRow[]) : [])]),
      );
  }
  return out;
}

/** Adds derived observations to the snapshot (reported values always win) and says what was derived. */
export function deriveIndicators(s: Snapshot, catalog: EvalCatalog): DerivedSummary[] {
  const province = catalog.regions.find((r) => r.level === "province")?.code;
  const cities = catalog.regions.filter((r) => r.level === "prefecture").map((r) => r.code);
  const eco = catalog.regions.filter((r) => r.eco11).map((r) => r.code);
  const rows = [
    ...(province ? deriveCityRatio(s, province, cities) : []),
    ...deriveUrbanRural(
      s,
      catalog.regions.map((r) => r.code),
    ),
    ...(province && eco.length > 0 ? deriveEcoRatio(s, province, eco) : []),
  ];
  const summary = new Map<string, { indicator: string; region: string; rule: string; periods: string[] }>();
  for (const r of rows) {
    addToSnapshot(s, r);
    const key = `${r.indicator}|${r.region}`;
    const entry = summary.get(key) ?? { indicator: r.indicator, region: r.region, rule: r.rule ?? "", periods: [] };
    entry.periods.push(r.period);
    summary.set(key, entry);
  }
  return [...summary.values()].map((e) => ({ ...e, periods: e.periods.sort() }));
}
