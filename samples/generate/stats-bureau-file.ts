// 统计局: the annual main-indicators export, GBK CSV with a title line, one column per indicator (wide), province,
// cities and all 90 county-level units, 2020-2025 (2025 preliminary), plus one revision row (2023 GDP after the
// fifth economic census).
import iconv from "iconv-lite";
import type { Region } from "../../schemas/index.ts";
import { CITIES, PROVINCE, countiesOf } from "./geography.ts";
import { GDP_2023_REVISED, revisedGdpPerCapita2023 } from "./economy.ts";
import { annualUnemployment } from "./labour.ts";
import type { SampleModel } from "./model.ts";
import { SAMPLE_LABEL_ZH, csvText, num, yearLabel, type SampleFile } from "./format.ts";
import { YEARS, maybeValue, round, type RegionSeries } from "./series.ts";

export const STATS_BUREAU_FILE = "feeds/stats-bureau-annual/zj-main-indicators-2020-2025.csv";

type Cell = (region: Region, year: number) => string;

/** Blank where a series does not cover the region (a county in a city-level column): not a missing value. */
const from =
  (series: RegionSeries | undefined, decimals: number, scale = 1): Cell =>
  (region, year) => {
    const v = maybeValue(series, region.code, year);
    return v === undefined ? "" : num(v / scale, decimals);
  };

function columns(m: SampleModel): [string, Cell][] {
  const ratio: Cell = (r, y) => {
    const u = maybeValue(m.income.urban, r.code, y) ?? maybeValue(m.countyIncome.urban, r.code, y);
    const ru = maybeValue(m.income.rural, r.code, y) ?? maybeValue(m.countyIncome.rural, r.code, y);
    return u === undefined || ru === undefined ? "" : num(round(u / ru, 2), 2);
  };
  const incomeToGdp: Cell = (r, y) => {
    const inc = maybeValue(m.income.total, r.code, y);
    const gdp = maybeValue(m.economy.gdpPerCapita, r.code, y);
    return inc === undefined || gdp === undefined ? "" : num(inc / gdp, 3);
  };
  const either =
    (a: RegionSeries, b: RegionSeries): Cell =>
    (r, y) =>
      num(maybeValue(a, r.code, y) ?? maybeValue(b, r.code, y), 0, "");
  const split =
    (code: string): Cell =>
    (r, y) => {
      const s = m.splits.get(code)!;
      const v = r.level === "province" ? maybeValue(s.province, r.code, y) : maybeValue(s.cities, r.code, y);
      return v === undefined ? "" : num(r.level === "province" ? v : v / s.scale, r.level === "province" ? 1 : 2);
    };
  const unemployment: Cell = (r, y) =>
    r.level === "county" ? "" : num(annualUnemployment(m.unemployment, r.code, y), 1);
  // The 2025 labour share needs the income-approach GDP, published a year later.
  const laborShare: Cell = (r, y) =>
    y === 2025 && r.level !== "county" ? "—" : from(m.paths.get("labor_share_of_gdp"), 1)(r, y);
  return [
    [
      "常住人口(万人)",
      (r, y) => (r.level === "province" ? String(maybeValue(m.population, r.code, y)) : from(m.population, 2)(r, y)),
    ],
    // The province's published figures are printed as published (72.17 is the census value).
    [
      "城镇化率(%)",
      (r, y) =>
        r.level === "province"
          ? String(maybeValue(m.economy.urbanization, r.code, y))
          : from(m.economy.urbanization, 1)(r, y),
    ],
    ["地区生产总值(亿元)", (r, y) => from(m.economy.gdp, r.level === "county" ? 1 : 0)(r, y)],
    ["人均地区生产总值(元)", from(m.economy.gdpPerCapita, 0)],
    ["居民人均可支配收入(元)", either(m.income.total, m.countyIncome.total)],
    ["城镇居民人均可支配收入(元)", either(m.income.urban, m.countyIncome.urban)],
    ["农村居民人均可支配收入(元)", either(m.income.rural, m.countyIncome.rural)],
    ["城乡居民收入倍差", ratio],
    ["劳动报酬占GDP比重(%)", laborShare],
    ["居民人均可支配收入与人均GDP之比", incomeToGdp],
    ["家庭年可支配收入10-50万元群体比例(%)", from(m.paths.get("households_100k_500k_share"), 1)],
    ["家庭年可支配收入20-60万元群体比例(%)", from(m.paths.get("households_200k_600k_share"), 1)],
    ["设区市居民收入最高最低倍差", from(m.provinceRatios.get("city_income_max_min_ratio"), 2)],
    ["绿色发展重点县与全省居民收入倍差", from(m.provinceRatios.get("eco_county_income_ratio"), 2)],
    ["市场主体(万户)", split("market_entities")],
    ["高新技术产业增加值年新增(亿元)", split("hightech_value_added_annual_increase")],
    ["农业劳动生产率(万元/人)", from(m.paths.get("agri_labor_productivity"), 2, 1e4)],
    ["亿元GDP生产安全事故死亡率(人/亿元)", from(m.paths.get("work_safety_death_rate"), 4)],
    ["城镇调查失业率(%)", unemployment],
  ];
}

/** When the row was released: the bulletin in January, county figures with the yearbook in spring. */
function releaseDate(region: Region, year: number): string {
  return region.level === "county" ? `${year + 1}-04-30` : year === 2025 ? "2026-01-22" : `${year + 1}-01-20`;
}

export function statsBureauFile(m: SampleModel): SampleFile {
  const cols = columns(m);
  const header = ["地区", "区划代码", "年份", ...cols.map(([h]) => h), "数据状态", "发布日期"];
  const title = [
    `浙江省、设区市及县（市、区）主要经济社会指标 2020-2025年（${SAMPLE_LABEL_ZH}）`,
    ...header.slice(1).map(() => ""),
  ];
  const rows: string[][] = [title, header];
  for (const year of YEARS) {
    for (const region of [PROVINCE, ...CITIES.flatMap((c) => [c, ...countiesOf(c.code)])]) {
      rows.push([
        region.nameZh,
        region.code,
        yearLabel(year),
        ...cols.map(([, cell]) => cell(region, year)),
        year === 2025 ? "初步核算" : "正式",
        releaseDate(region, year),
      ]);
    }
  }
  // The 2024 bulletin revised 2023 GDP after the fifth economic census: a second vintage of the same cells.
  const perCapita = revisedGdpPerCapita2023(m.population);
  const revised = new Map([
    ["地区生产总值(亿元)", String(GDP_2023_REVISED)],
    ["人均地区生产总值(元)", String(perCapita)],
    ["居民人均可支配收入与人均GDP之比", num(maybeValue(m.income.total, PROVINCE.code, 2023)! / perCapita, 3)],
  ]);
  rows.push([
    PROVINCE.nameZh,
    PROVINCE.code,
    yearLabel(2023),
    ...cols.map(([h]) => revised.get(h) ?? ""),
    "修订（第五次全国经济普查）",
    "2025-01-23",
  ]);
  return { path: STATS_BUREAU_FILE, bytes: iconv.encode(csvText(rows), "gbk") };
}
