// 卫健委: the health commission's open-data API, served from this file by the demo server: an object with a
// `data` array of long records (area code, year, indicator name, value, unit, update time).
import { CITIES, PROVINCE } from "./geography.ts";
import type { SampleModel } from "./model.ts";
import { SAMPLE_LABEL, type SampleFile } from "./format.ts";
import { YEARS, maybeValue } from "./series.ts";

export const HEALTH_FILE = "http/health-indicators.json";

/** The API's indicator names and units; the feed spec maps the names to catalog codes. */
export const HEALTH_INDICATORS: readonly (readonly [code: string, name: string, unit: string])[] = [
  ["life_expectancy", "人均预期寿命", "岁"],
  ["oop_health_expenditure_share", "个人卫生支出占卫生总费用比例", "%"],
  ["county_visit_rate", "县域就诊率", "%"],
  ["family_doctor_key_group_coverage", "重点人群家庭医生签约覆盖率", "%"],
  ["premature_chronic_mortality", "重大慢性病过早死亡率", "%"],
  ["cancer_5yr_survival", "总体癌症五年生存率", "%"],
  ["childcare_slots_per_1000", "每千人口拥有3岁以下婴幼儿托位数", "个/千人"],
  ["county_hospital_tertiary_bed_share", "县级公立医院三级医院床位占比", "%"],
];

interface HealthRecord {
  areaCode: string;
  areaName: string;
  year: number;
  indicator: string;
  value: number | null;
  unit: string;
  updatedAt: string;
}

export function healthFile(m: SampleModel): SampleFile {
  const data: HealthRecord[] = [];
  for (const year of YEARS) {
    for (const [code, indicator, unit] of HEALTH_INDICATORS) {
      for (const region of [PROVINCE, ...CITIES]) {
        // Zhoushan's cancer registry is too small for a yearly survival estimate before 2022: the API sends null.
        const unreported = code === "cancer_5yr_survival" && region.code === "330900" && year < 2022;
        const value = unreported ? null : (maybeValue(m.paths.get(code), region.code, year) ?? null);
        data.push({
          areaCode: region.code,
          areaName: region.nameZh,
          year,
          indicator,
          value,
          unit,
          updatedAt: `${year + 1}-06-30T10:00:00+08:00`,
        });
      }
    }
  }
  const body = { title: "浙江省卫生健康主要指标", notice: SAMPLE_LABEL, total: data.length, data };
  return { path: HEALTH_FILE, bytes: Buffer.from(`${JSON.stringify(body, null, 2)}\n`, "utf8") };
}
