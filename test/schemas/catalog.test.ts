import { describe, expect, it } from "vitest";
import { defaultCatalog, loadCatalog } from "../../schemas/catalog.ts";

const catalog = defaultCatalog();
const targets = catalog.indicators.filter((i) => i.kind === "target");
const counties = catalog.regions.filter((r) => r.level === "county");

describe("the shipped indicator catalog", () => {
  it("holds the plan's 74 targets plus the supporting series", () => {
    expect(targets).toHaveLength(74);
    expect(
      catalog.indicators
        .filter((i) => i.kind === "supporting")
        .map((i) => i.code)
        .sort(),
    ).toEqual([
      "disposable_income_per_capita_rural",
      "disposable_income_per_capita_urban",
      "gdp",
      "good_air_days_share",
      "resident_population",
    ]);
  });

  it("gives every non-trend target a 2025 value and every trend target none", () => {
    for (const t of targets) {
      const trend = t.targetOp === "trend_up" || t.targetOp === "trend_down";
      expect(t.targetYear, t.code).toBe(2025);
      expect(t.targetValue === null, t.code).toBe(trend);
    }
    expect(targets.filter((t) => t.targetValue === null)).toHaveLength(6);
  });

  it.each([
    ["market_entities", ">=", 1100],
    ["disposable_income_per_capita", ">=", 75000],
    ["labor_share_of_gdp", ">", 50],
    ["urban_rural_income_ratio", "<=", 1.9],
    ["city_income_max_min_ratio", "<=", 1.55],
    ["urbanization_rate", ">=", 75],
    ["life_expectancy", ">", 80],
    ["oop_health_expenditure_share", "<", 26],
    ["child_expected_schooling_years", ">=", 15.5],
    ["agri_labor_productivity", ">=", 55000],
  ] as const)("keeps the plan's target for %s (%s %d)", (code, op, value) => {
    const indicator = catalog.indicator(code);
    expect(indicator?.targetOp).toBe(op);
    expect(indicator?.targetValue).toBe(value);
  });

  it("marks the sampled series with their publication frequency", () => {
    expect(catalog.indicator("pm25_concentration")?.frequency).toBe("monthly");
    expect(catalog.indicator("surface_water_grade3_share")?.frequency).toBe("monthly");
    expect(catalog.indicator("urban_surveyed_unemployment_rate")?.frequency).toBe("quarterly");
    expect(catalog.indicators.filter((i) => i.frequency === "annual")).toHaveLength(catalog.indicators.length - 3);
  });

  it("records 2020 baselines with their sources", () => {
    expect(catalog.indicator("disposable_income_per_capita")?.baseline2020).toBe(52397);
    expect(catalog.indicator("urban_rural_income_ratio")?.baseline2020).toBe(1.96);
    expect(catalog.indicator("gdp")?.baseline2020).toBe(64613);
    for (const i of catalog.indicators.filter((x) => x.baseline2020 !== null))
      expect(i.baselineSource, i.code).not.toBe("");
  });

  it("has unique codes and only known dimensions", () => {
    expect(new Set(catalog.indicators.map((i) => i.code)).size).toBe(catalog.indicators.length);
    const dims = new Set(catalog.dimensions.map((d) => d.code));
    for (const i of catalog.indicators) expect(dims.has(i.dimension), i.code).toBe(true);
  });

  it("returns undefined for an unknown indicator code", () => {
    expect(catalog.indicator("no_such_indicator")).toBeUndefined();
  });
});

describe("the shipped dimension catalog", () => {
  it("lists the seven dimensions D1 to D7 in order", () => {
    expect(catalog.dimensions.map((d) => d.code)).toEqual(["D1", "D2", "D3", "D4", "D5", "D6", "D7"]);
    expect(catalog.dimension("D3")?.nameZh).toContain("橄榄型");
  });
});

describe("the shipped region catalog", () => {
  it("has the province, 11 prefecture-level cities and 90 county-level units", () => {
    expect(catalog.regions).toHaveLength(102);
    expect(catalog.regions.filter((r) => r.level === "province").map((r) => r.code)).toEqual(["330000"]);
    expect(catalog.regions.filter((r) => r.level === "prefecture")).toHaveLength(11);
    expect(counties).toHaveLength(90);
  });

  it("puts every county under a prefecture and every prefecture under the province", () => {
    for (const c of counties) expect(catalog.region(c.parentCode ?? "")?.level, c.code).toBe("prefecture");
    expect(catalog.childrenOf("330000")).toHaveLength(11);
    const total = catalog.childrenOf("330000").reduce((n, p) => n + catalog.childrenOf(p.code).length, 0);
    expect(total).toBe(90);
    expect(catalog.childrenOf("330100").map((r) => r.nameShort)).toContain("淳安");
    expect(catalog.childrenOf("330127")).toEqual([]);
  });

  it("flags the 26 mountain counties of 2021 and the 11 ecological counties among them", () => {
    const mountain = counties.filter((r) => r.mountain26);
    const eco = counties.filter((r) => r.eco11);
    expect(mountain).toHaveLength(26);
    expect(eco).toHaveLength(11);
    for (const r of eco) expect(r.mountain26, r.nameZh).toBe(true);
    expect(catalog.regions.filter((r) => r.level !== "county" && (r.mountain26 || r.eco11))).toEqual([]);
  });

  it("gives every region a short name that prefixes its full name and a pinyin spelling", () => {
    for (const r of catalog.regions) {
      expect(r.nameZh.startsWith(r.nameShort), r.code).toBe(true);
      expect(r.pinyin, r.code).toMatch(/^[A-Z][a-z]+('[a-z]+)?$/);
    }
    expect(catalog.region("330127")?.pinyin).toBe("Chun'an");
    expect(catalog.region("331127")?.nameShort).toBe("景宁");
  });

  it("hands out the same memoised catalog on every call", () => {
    expect(defaultCatalog()).toBe(catalog);
    expect(Object.isFrozen(catalog.regions)).toBe(true);
  });

  it("loads the same catalog from an explicit directory URL", () => {
    const again = loadCatalog(new URL("../../schemas/catalog/", import.meta.url));
    expect(again.indicators).toEqual(catalog.indicators);
  });
});
