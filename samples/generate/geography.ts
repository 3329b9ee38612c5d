// The regions of the sample data, from the shipped catalog, with the few facts the generator adds about them.
import { defaultCatalog, type Region } from "../../schemas/index.ts";

const catalog = defaultCatalog();

export const PROVINCE: Region = catalog.regions.find((r) => r.level === "province")!;
export const CITIES: readonly Region[] = catalog.childrenOf(PROVINCE.code);
export const COUNTIES: readonly Region[] = catalog.regions.filter((r) => r.level === "county");

export function countiesOf(cityCode: string): readonly Region[] {
  return catalog.childrenOf(cityCode);
}

export function regionByCode(code: string): Region {
  const region = catalog.region(code);
  if (!region) throw new Error(`no region ${code} in the catalog`);
  return region;
}

/**
 * How developed each city is, from -1 (the mountain cities Quzhou and Lishui) to +1 (Hangzhou): the ordering of
 * per-capita income and GDP in the bulletins. Social indicators lean on it so that leaders and laggards are plausible.
 */
export const CITY_DEVELOPMENT: Readonly<Record<string, number>> = {
  "330100": 1.0, // 杭州
  "330200": 0.85, // 宁波
  "330300": 0.15, // 温州
  "330400": 0.5, // 嘉兴
  "330500": 0.3, // 湖州
  "330600": 0.55, // 绍兴
  "330700": 0.05, // 金华
  "330800": -0.9, // 衢州
  "330900": 0.45, // 舟山
  "331000": 0.1, // 台州
  "331100": -1.0, // 丽水
};

export function development(cityCode: string): number {
  const d = CITY_DEVELOPMENT[cityCode];
  if (d === undefined) throw new Error(`no development score for ${cityCode}`);
  return d;
}

/** A county's standing inside its city: core districts above, the 26 mountain counties and eco counties below. */
export function countyStanding(county: Region): number {
  if (county.eco11) return -1;
  // Mountain-county districts (柯城, 衢江, 莲都) are their city's seat: poor by provincial, not by local standards.
  if (county.mountain26) return county.countyType === "district" ? 0.1 : -0.6;
  if (county.countyType === "district") return 0.5;
  if (county.countyType === "county-level city") return 0.1;
  return -0.2;
}
