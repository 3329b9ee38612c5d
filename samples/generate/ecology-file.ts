// 生态环境厅: the environment monitoring export, NDJSON, one record per line: monthly city readings (PM2.5, surface
// water at grade III or better) January 2020 - September 2025, and the annual indicators of the yearly bulletin.
// The monitoring system names regions in pinyin.
import type { Region } from "../../schemas/index.ts";
import { CITIES, PROVINCE, regionByCode } from "./geography.ts";
import { annualReadings, waterShare } from "./environment.ts";
import type { SampleModel } from "./model.ts";
import type { SampleFile } from "./format.ts";

/** Short, because it repeats on every line. */
const SAMPLE_DATASET = "样例数据 sample data, not official statistics";
import { YEARS, maybeValue, type RegionSeries } from "./series.ts";

export const ECOLOGY_FILE = "feeds/ecology-environment/zj-environment-2020-01-2025-09.ndjson";

/** The department's indicator names; the feed spec maps them to catalog codes. */
export const ECOLOGY_NAMES: Readonly<Record<string, string>> = {
  pm25_concentration: "PM2.5",
  surface_water_grade3_share: "地表水Ⅲ类及以上断面比例",
  non_fossil_energy_share: "非化石能源消费比重",
  nature_reserve_land_share: "自然保护地面积占陆域国土面积比例",
  key_species_protection_rate: "重点生物物种种数保护率",
  clean_air_city_share: "清新空气示范区建成比例",
  village_sewage_treatment_coverage: "农村生活污水治理行政村覆盖率",
  village_sewage_effluent_compliance: "农村生活污水处理设施出水达标率",
  zero_waste_county_share: "无废城市建成比例",
  beautiful_rivers_lakes_new: "新增美丽河湖（2021年以来累计）",
};

interface Reading {
  region: string;
  code: string;
  indicator: string;
  period: string;
  value: number;
  unit: string;
  released: string;
  note: string;
  /** Every record says it is sample data. */
  dataset: string;
}

function record(
  region: Region,
  code: string,
  period: string,
  value: number,
  unit: string,
  released: string,
  note = "",
): Reading {
  return {
    region: region.pinyin,
    code: region.code,
    indicator: ECOLOGY_NAMES[code]!,
    period,
    value,
    unit,
    released,
    note,
    dataset: SAMPLE_DATASET,
  };
}

function annual(m: SampleModel): Reading[] {
  const out: Reading[] = [];
  const series: [string, RegionSeries | undefined, string][] = [
    ["non_fossil_energy_share", m.paths.get("non_fossil_energy_share"), "%"],
    ["nature_reserve_land_share", m.paths.get("nature_reserve_land_share"), "%"],
    ["key_species_protection_rate", m.paths.get("key_species_protection_rate"), "%"],
    ["clean_air_city_share", m.certified.get("clean_air_city_share"), "%"],
    ["village_sewage_treatment_coverage", m.paths.get("village_sewage_treatment_coverage"), "%"],
    ["village_sewage_effluent_compliance", m.paths.get("village_sewage_effluent_compliance"), "%"],
    ["zero_waste_county_share", m.certified.get("zero_waste_county_share"), "%"],
  ];
  const rivers = m.splits.get("beautiful_rivers_lakes_new")!;
  for (const year of YEARS) {
    const released = `${year + 1}-06-05`;
    for (const region of [PROVINCE, ...CITIES]) {
      const readings = annualReadings(m.readings, region.code, year);
      if (readings) {
        out.push(record(region, "pm25_concentration", String(year), readings.pm25, "μg/m3", released, "年均值"));
        out.push(record(region, "surface_water_grade3_share", String(year), readings.water, "%", released, "年度"));
      }
      for (const [code, s, unit] of series) {
        const v = maybeValue(s, region.code, year);
        if (v !== undefined) out.push(record(region, code, String(year), v, unit, released));
      }
      const r = maybeValue(region.level === "province" ? rivers.province : rivers.cities, region.code, year);
      if (r !== undefined) out.push(record(region, "beautiful_rivers_lakes_new", String(year), r, "个", released));
    }
  }
  return out;
}

export function ecologyFile(m: SampleModel): SampleFile {
  const monthly = m.readings.flatMap((r) => {
    const region = regionByCode(r.region);
    const period = `${r.year}-${String(r.month).padStart(2, "0")}`;
    const next = r.month === 12 ? `${r.year + 1}-01` : `${r.year}-${String(r.month + 1).padStart(2, "0")}`;
    return [
      record(region, "pm25_concentration", period, r.pm25, "μg/m3", `${next}-15`, "月均值"),
      record(
        region,
        "surface_water_grade3_share",
        period,
        waterShare(r),
        "%",
        `${next}-15`,
        `${r.sectionsGood}/${r.sections}个断面`,
      ),
    ];
  });
  const lines = [...monthly, ...annual(m)].map((r) => JSON.stringify(r));
  return { path: ECOLOGY_FILE, bytes: Buffer.from(`${lines.join("\n")}\n`, "utf8") };
}
