// 教育厅: the education statistics workbook, a title row and a two-level header whose group cells are merged
// (学前教育 over its three columns), province and cities by year.
import { CITIES, PROVINCE } from "./geography.ts";
import type { SampleModel } from "./model.ts";
import { MISSING, SAMPLE_LABEL, type SampleFile } from "./format.ts";
import { YEARS, maybeValue, type RegionSeries } from "./series.ts";
import { newWorkbook, styleHeader, workbookBytes } from "./xlsx.ts";

export const EDUCATION_FILE = "feeds/education/zj-education-2020-2025_2026-03-31.xlsx";
const PUBLISHED = new Date("2026-03-31T00:00:00Z");

/** Group header, leaf header, indicator series. */
function columns(m: SampleModel): [string, string, RegionSeries | undefined][] {
  return [
    ["学前教育", "二级以上幼儿园在园幼儿占比(%)", m.paths.get("kindergarten_grade2_share")],
    ["学前教育", "普惠性幼儿园在园幼儿占比(%)", m.paths.get("kindergarten_inclusive_share")],
    ["学前教育", "全国学前教育普及普惠县占比(%)", m.certified.get("preschool_universal_county_share")],
    ["义务教育", "全国义务教育优质均衡发展县占比(%)", m.certified.get("compulsory_edu_balanced_county_share")],
    ["职业教育", "中职毕业生升入高一级学校比例(%)", m.paths.get("vocational_progression_rate")],
    ["高等教育", "高等教育毛入学率(%)", m.paths.get("higher_edu_gross_enrollment")],
    ["综合", "儿童平均预期受教育年限(年)", m.paths.get("child_expected_schooling_years")],
  ];
}

export async function educationFile(m: SampleModel): Promise<SampleFile> {
  const wb = newWorkbook(PUBLISHED, "浙江省教育厅 统计处（样例）");
  const ws = wb.addWorksheet("教育事业主要指标");
  const cols = columns(m);
  const width = 2 + cols.length;
  ws.addRow([`浙江省教育事业发展主要指标（2020—2025年）  ${SAMPLE_LABEL}`]);
  ws.mergeCells(1, 1, 1, width);
  ws.addRow(["地区", "年份", ...cols.map(([group]) => group)]);
  ws.addRow(["", "", ...cols.map(([, leaf]) => leaf)]);
  ws.mergeCells(2, 1, 3, 1);
  ws.mergeCells(2, 2, 3, 2);
  // Merge each run of equal group headers, as the printed table does.
  for (let start = 0; start < cols.length; ) {
    let end = start;
    while (end + 1 < cols.length && cols[end + 1]![0] === cols[start]![0]) end++;
    if (end > start) ws.mergeCells(2, 3 + start, 2, 3 + end);
    start = end + 1;
  }
  styleHeader(ws, [2, 3]);
  for (const year of YEARS) {
    for (const region of [PROVINCE, ...CITIES]) {
      const values = cols.map(([, , series]): number | string => {
        const v = maybeValue(series, region.code, year);
        // Zhoushan's 2020 vocational figure was not reported; the last block was typed in as text.
        if (
          v === undefined ||
          (region.code === "330900" && year === 2020 && series === m.paths.get("vocational_progression_rate"))
        )
          return MISSING;
        return year === 2025 ? String(v) : v;
      });
      ws.addRow([region.nameZh, year, ...values]);
    }
  }
  ws.columns.forEach((c, i) => (c.width = i < 2 ? 10 : 18));
  return { path: EDUCATION_FILE, bytes: await workbookBytes(wb, PUBLISHED) };
}
