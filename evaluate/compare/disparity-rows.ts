// Disparity across cities and counties: the plan's 1.55 max/min ratio, CV, Gini and Theil T with its decomposition.
import { coefficientOfVariation, gini, maxMinRatio, theilDecomposition, theilT, winsorize } from "../math/index.ts";
import type { EvalConfig } from "../eval-config.ts";

type Outliers = EvalConfig["outliers"];
import { INCOME, POPULATION, URBAN_RURAL } from "../derive.ts";
import type { EvalCatalog, EvalRegion } from "../model.ts";
import type { ValuePicker } from "../inputs/pick-value.ts";

export interface DisparityRow {
  readonly measure: string;
  readonly scope: string;
  readonly group: string | null;
  readonly value: number;
  readonly target: number | null;
  readonly meetsTarget: boolean | null;
  readonly weighted: boolean;
  readonly units: number;
  readonly note: string | null;
}

const CITY_RATIO_TARGET = 1.55;
const URBAN_RURAL_TARGET = 1.9;

interface Units {
  readonly regions: readonly EvalRegion[];
  readonly values: readonly number[];
  /** Populations when every unit has one; undefined otherwise (the measures are then unweighted). */
  readonly weights: readonly number[] | undefined;
  readonly note: string;
}

function unitsOf(regions: readonly EvalRegion[], pick: ValuePicker): Units {
  const withIncome = regions.filter((r) => pick(INCOME, r.code) !== null);
  const pops = withIncome.map((r) => pick(POPULATION, r.code)?.value ?? null);
  const weighted = withIncome.length > 0 && pops.every((p) => p !== null && p > 0);
  const missing = pops.filter((p) => p === null || p <= 0).length;
  return {
    regions: withIncome,
    values: withIncome.map((r) => pick(INCOME, r.code)!.value),
    weights: weighted ? (pops as number[]) : undefined,
    note: weighted
      ? "population-weighted (resident_population) 按常住人口加权"
      : `unweighted 未加权: resident_population missing for ${missing} of ${withIncome.length}`,
  };
}

/** The spread measures' inputs winsorised when the run asks (the plan's max/min ratio keeps the raw values). */
function treated(u: Units, outliers: Outliers | undefined): Units {
  if (!outliers?.winsorize || u.values.length < 2) return u;
  const w = winsorize(u.values, outliers.lower, outliers.upper);
  const pct = (q: number) => `${Math.round(q * 100)}%`;
  return {
    ...u,
    values: w.values,
    note: `${u.note}; winsorised 缩尾 at ${pct(outliers.lower)}-${pct(outliers.upper)}: ${w.changed.length} value(s) pulled in`,
  };
}

function spread(scope: string, u: Units): DisparityRow[] {
  const row = (measure: string, value: number, weighted: boolean): DisparityRow => ({
    measure,
    scope,
    group: null,
    value,
    target: null,
    meetsTarget: null,
    weighted,
    units: u.values.length,
    note: u.note,
  });
  const cv = coefficientOfVariation(u.values, u.weights);
  const g = gini(u.values, u.weights);
  const t = theilT(u.values, u.weights);
  return [row("cv", cv.value, cv.weighted), row("gini", g.value, g.weighted), row("theil_t", t.value, t.weighted)];
}

function cityRows(cities: Units, expected: number, outliers?: Outliers): DisparityRow[] {
  if (cities.values.length < 2) return [];
  const ratio = maxMinRatio(cities.values);
  const short =
    cities.values.length < expected ? `only ${cities.values.length} of ${expected} cities 仅部分设区市有数据` : null;
  return [
    {
      measure: "max_min_ratio",
      scope: "cities",
      group: null,
      value: ratio,
      target: CITY_RATIO_TARGET,
      meetsTarget: ratio <= CITY_RATIO_TARGET,
      weighted: false,
      units: cities.values.length,
      note: short,
    },
    ...spread("cities", treated(cities, outliers)),
  ];
}

function countyRows(raw: Units, outliers?: Outliers): DisparityRow[] {
  if (raw.values.length < 2) return [];
  const counties = treated(raw, outliers);
  const groups = new Map<string, { values: number[]; weights: number[] }>();
  counties.regions.forEach((r, i) => {
    const g = groups.get(r.parentCode ?? "") ?? { values: [], weights: [] };
    g.values.push(counties.values[i]!);
    if (counties.weights) g.weights.push(counties.weights[i]!);
    groups.set(r.parentCode ?? "", g);
  });
  const d = theilDecomposition(
    [...groups].map(([group, g]) => ({ group, values: g.values, ...(counties.weights ? { weights: g.weights } : {}) })),
  );
  const base = {
    scope: "counties",
    target: null,
    meetsTarget: null,
    weighted: d.weighted,
    note: counties.note,
  } as const;
  return [
    ...spread("counties", counties),
    { ...base, measure: "theil_between", group: null, value: d.between, units: counties.values.length },
    { ...base, measure: "theil_within", group: null, value: d.within, units: counties.values.length },
    ...d.groups.flatMap((g) => [
      {
        ...base,
        measure: "theil_between",
        group: g.group,
        value: g.between,
        units: groups.get(g.group)!.values.length,
      },
      { ...base, measure: "theil_within", group: g.group, value: g.within, units: groups.get(g.group)!.values.length },
    ]),
  ];
}

function urbanRuralRows(regions: readonly EvalRegion[], pick: ValuePicker): DisparityRow[] {
  return regions.flatMap((r) => {
    const v = pick(URBAN_RURAL, r.code);
    if (!v) return [];
    const scope = r.level === "province" ? "province" : "cities";
    const note = v.derivedFrom ? `derived 推算 (${v.period}): urban / rural income` : `reported 上报 (${v.period})`;
    return [
      {
        measure: "urban_rural_ratio",
        scope,
        group: r.level === "province" ? null : r.code,
        value: v.value,
        target: URBAN_RURAL_TARGET,
        meetsTarget: v.value <= URBAN_RURAL_TARGET,
        weighted: false,
        units: 1,
        note,
      },
    ];
  });
}

/** Every disparity row of a run; measures needing two or more units are left out when fewer have data. */
export function disparityRows(catalog: EvalCatalog, pick: ValuePicker, outliers?: Outliers): DisparityRow[] {
  const cities = catalog.regions.filter((r) => r.level === "prefecture");
  const counties = catalog.regions.filter((r) => r.level === "county");
  return [
    ...cityRows(unitsOf(cities, pick), cities.length, outliers),
    ...countyRows(unitsOf(counties, pick), outliers),
    ...urbanRuralRows(
      catalog.regions.filter((r) => r.level !== "county"),
      pick,
    ),
  ];
}
