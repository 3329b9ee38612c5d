// Which targets can be scored for which regions: the plan's totals and cross-region ratios are the province's alone.
import { unitByCode } from "../../schemas/index.ts";
import { PROVINCE_ONLY } from "../derive.ts";
import type { EvalIndicator, EvalRegion } from "../model.ts";

// Units that count things; a province total (1,100万户 market entities) says nothing about one city's share of it.
const COUNTED = new Set(["persons", "households", "count", "buildings", "dwellings", "person_times"]);

/** A province-wide total: a count of people, households, items, buildings or dwellings, or an amount of 万元 and more. */
export function isProvinceTotal(ind: EvalIndicator): boolean {
  const unit = unitByCode(ind.unit);
  if (unit === undefined) return false;
  return COUNTED.has(unit.dimension) || (unit.dimension === "currency" && unit.factor >= 1e4);
}

/** Whether `ind` is scored (and ranked) for `region`: everything for the province, rates and per-capita values below it. */
export function applies(ind: EvalIndicator, region: Pick<EvalRegion, "level">): boolean {
  return region.level === "province" || (!PROVINCE_ONLY.has(ind.code) && !isProvinceTotal(ind));
}
