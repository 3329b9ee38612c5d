// 民政厅/住建厅: the joint civil-affairs and housing workbook, one sheet per year (2020年 … 2025年) whose name is the
// only place the year appears, a title row above the header; the reporting system exports rates as text ("23.5%").
import type { Region } from "../../schemas/index.ts";
import { CITIES, PROVINCE } from "./geography.ts";
import type { SampleModel } from "./model.ts";
import { MISSING, SAMPLE_LABEL, num, yearLabel, type SampleFile } from "./format.ts";
import { YEARS, maybeValue } from "./series.ts";
import { newWorkbook, styleHeader, workbookBytes } from "./xlsx.ts";

export const CIVIL_HOUSING_FILE = "feeds/civil-affairs-housing/zj-civil-affairs-housing-2020-2025_2026-04-15.xlsx";
const PUBLISHED = new Date("2026-04-15T00:00:00Z");

type Cell = (region: Region, year: number) => string | number;

function columns(m: SampleModel): [string, Cell][] {
  const percent =
    (code: string): Cell =>
    (r, y) => {
      const v = maybeValue(m.paths.get(code), r.code, y);
      return v === undefined ? MISSING : `${num(v, 1)}%`;
    };
  const plain =
    (code: string): Cell =>
    (r, y) =>
      maybeValue(m.paths.get(code), r.code, y) ?? MISSING;
  // Cumulative since 2021, counted in dwellings (套) by every region, the province included.
  const units =
    (code: string): Cell =>
    (r, y) => {
      const s = m.splits.get(code)!;
      const v = r.level === "province" ? maybeValue(s.province, r.code, y) : maybeValue(s.cities, r.code, y);
      return v === undefined ? MISSING : r.level === "province" ? Math.round(v * s.scale) : v;
    };
  return [
    ["城镇住房保障受益覆盖率", percent("housing_security_coverage")],
    ["保障性租赁住房累计建设筹集(套)", units("affordable_rental_units")],
    ["棚改安置住房累计(套)", units("shantytown_resettlement_units")],
    ["每万老年人口拥有持证养老护理员数(人)", plain("certified_caregivers_per_10k_elderly")],
    ["护理型床位占机构床位比例", percent("nursing_bed_share")],
    ["城乡低保标准(元/人·月)", (r, y) => maybeValue(m.dibao.standard, r.code, y) ?? MISSING],
    ["低保标准增幅减居民人均可支配收入增幅(百分点)", (r, y) => maybeValue(m.dibao.gap, r.code, y) ?? MISSING],
    ["救助“一件事”惠民联办率", percent("assistance_joint_handling_rate")],
  ];
}

export async function civilHousingFile(m: SampleModel): Promise<SampleFile> {
  const wb = newWorkbook(PUBLISHED, "浙江省民政厅 浙江省住房和城乡建设厅（样例）");
  const cols = columns(m);
  for (const year of YEARS) {
    const ws = wb.addWorksheet(yearLabel(year));
    ws.addRow([`${yearLabel(year)}民政和住房保障主要指标  ${SAMPLE_LABEL}`]);
    ws.mergeCells(1, 1, 1, 1 + cols.length);
    ws.addRow(["地区", ...cols.map(([h]) => h)]);
    styleHeader(ws, [2]);
    for (const region of [PROVINCE, ...CITIES])
      ws.addRow([region.nameZh, ...cols.map(([, cell]) => cell(region, year))]);
    ws.columns.forEach((c, i) => (c.width = i < 1 ? 10 : 16));
  }
  return { path: CIVIL_HOUSING_FILE, bytes: await workbookBytes(wb, PUBLISHED) };
}
