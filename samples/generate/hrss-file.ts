// 人力社保厅: the human-resources and social-security export, UTF-8 CSV with a byte-order mark, long layout
// (地区, 指标, 时期, 数值, 单位, 备注) under a title line: the unemployment rate by quarter, everything else by year. The province
// reports in 万人 / 万人次, the cities in persons; one clerk typed 台州 without 市 in 2025.
import type { Region } from "../../schemas/index.ts";
import { CITIES, PROVINCE } from "./geography.ts";
import type { SampleModel } from "./model.ts";
import { MISSING, SAMPLE_LABEL_ZH, csvText, num, yearLabel, type SampleFile } from "./format.ts";
import { YEARS, maybeValue } from "./series.ts";

export const HRSS_FILE = "feeds/hr-social-security/zj-hrss-employment-skills-2020-2025_2026-02-12.csv";

/** Indicator names as the department writes them; the feed spec maps them to catalog codes. */
export const HRSS_NAMES = {
  unemployment: "城镇调查失业率",
  newJobs: "城镇新增就业（2021年以来累计）",
  skilledTotal: "技能人才总量",
  skilledShare: "技能人才占从业人员比例",
  highSkilled: "高技能人才占比",
  training: "职业技能培训（2021年以来累计）",
} as const;

function regionName(region: Region, year: number): string {
  return region.code === "331000" && year === 2025 ? region.nameShort : region.nameZh;
}

export function hrssFile(m: SampleModel): SampleFile {
  const rows: string[][] = [
    [`浙江省就业和技能人才主要指标 2020-2025年（${SAMPLE_LABEL_ZH}）`, "", "", "", "", ""],
    ["地区", "指标", "时期", "数值", "单位", "备注"],
  ];
  const regions = [PROVINCE, ...CITIES];
  for (const q of m.unemployment) {
    const region = regions.find((r) => r.code === q.region)!;
    // Zhoushan's survey sample was too small for a city figure in the first Covid quarter.
    const gap = region.code === "330900" && q.year === 2020 && q.quarter === 1;
    rows.push([
      regionName(region, q.year),
      HRSS_NAMES.unemployment,
      `${q.year}年第${q.quarter}季度`,
      gap ? MISSING : num(q.value, 1),
      "%",
      gap ? "样本量不足，未发布" : "",
    ]);
  }
  const split = (name: string, code: string, provinceUnit: string, cityUnit: string, cityDecimals: number) => {
    const s = m.splits.get(code)!;
    for (const year of YEARS) {
      for (const region of regions) {
        const province = region.level === "province";
        const v = province ? maybeValue(s.province, region.code, year) : maybeValue(s.cities, region.code, year);
        if (v === undefined) continue;
        const value = province ? num(v, 1) : num(cityDecimals > 0 ? v / s.scale : v, cityDecimals);
        rows.push([regionName(region, year), name, yearLabel(year), value, province ? provinceUnit : cityUnit, ""]);
      }
    }
  };
  split(HRSS_NAMES.newJobs, "urban_new_employment_cumulative", "万人", "人", 0);
  split(HRSS_NAMES.skilledTotal, "skilled_workers_total", "万人", "万人", 2);
  split(HRSS_NAMES.training, "vocational_training_person_times", "万人次", "人次", 0);
  for (const [name, code] of [
    [HRSS_NAMES.skilledShare, "skilled_worker_share"],
    [HRSS_NAMES.highSkilled, "high_skilled_share"],
  ] as const) {
    for (const year of YEARS) {
      for (const region of regions)
        rows.push([
          regionName(region, year),
          name,
          yearLabel(year),
          num(maybeValue(m.paths.get(code), region.code, year), 1),
          "%",
          "",
        ]);
    }
  }
  return { path: HRSS_FILE, bytes: Buffer.from(`\uFEFF${csvText(rows)}`, "utf8") };
}
