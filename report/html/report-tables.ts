// The report's sections that are tables of rows: indicators furthest from target, disparity, data coverage.
import type { CoverageRow, FurthestRow, ReportData } from "../read/report-data.ts";
import type { DisparityRow } from "../read/run-summary.ts";
import { formatQuantity } from "../text/number-format.ts";
import { cell } from "./cells.ts";
import { note, section, small, table, td, th, tr } from "./markup.ts";
import { esc, num, pct } from "./svg.ts";
import { shareBar } from "./trend-svg.ts";

const FURTHEST_HEADS = [
  "region 地区",
  "indicator 指标",
  "value 数值",
  "target 目标",
  "realisation 实现度",
  "on track 进度达标",
  "period 统计期",
];

function furthestRow(r: FurthestRow): string {
  const quantity = (v: number | null) => esc(formatQuantity(Number(v), `${r.unit}`));
  const track = r.on_track === null ? "—" : r.on_track ? "yes 是" : "no 否";
  const period = `${esc(`${r.period_used}`)}${r.carried_forward ? " ↻" : ""}${r.derived ? " (derived)" : ""}`;
  return tr(
    th(esc(`${r.region_name}`)),
    td(`${esc(`${r.name_zh}`)}<br>${small(esc(`${r.name_en}`))}`, { class: "l" }),
    td(quantity(r.value)),
    td(`${esc(`${r.target_op}`)} ${quantity(r.target)}`),
    td(`${pct(r.realisation)} ${shareBar(r.realisation)}`),
    td(track),
    td(period),
  );
}

export function furthestSection(d: ReportData): string {
  return section(
    "furthest",
    "差距最大的指标 Indicators furthest from target",
    "\n",
    table(FURTHEST_HEADS, d.furthest.map(furthestRow).join("")),
    "\n",
    note(
      "Province and cities, lowest realisation first (trend indicators excluded); " +
        "↻ carried forward from an earlier period 沿用.",
    ),
  );
}

const DISPARITY_HEADS = ["scope 范围", "measure 指标", "value 数值", "target 目标", "weights 权重", "units 单位数"];

function disparityRow(x: DisparityRow): string {
  return tr(
    td(esc(x.scope)),
    td(esc(x.measure)),
    td(num(x.value, 4)),
    td(x.target === null ? "—" : `≤ ${num(x.target)} ${x.meets_target ? "✓" : "✗"}`),
    td(x.weighted ? "population-weighted 人口加权" : "unweighted 未加权"),
    td(esc(String(x.units))),
  );
}

export function disparitySection(d: ReportData): string {
  const rows = d.disparity.filter((x) => x.group_code === null).map(disparityRow);
  return section(
    "disparity",
    "地区差距 Disparity",
    table(DISPARITY_HEADS, rows.join("")),
    "\n",
    note(
      "Theil T over counties splits into between-cities 市际 and within-cities 市内 parts " +
        "(eval_disparity has each city's share).",
    ),
  );
}

const COVERAGE_HEADS = [
  "level 层级",
  "regions 地区",
  "values used 有值",
  "coverage 覆盖率",
  "carried forward 沿用",
  "derived 推算",
];
const DIMENSION_HEADS = ["dimension 维度", "province 全省", "mean over regions 各地区平均", "regions scored 计分地区"];

function coverageRow(c: CoverageRow): string {
  const cells = Number(c.cells);
  const used = Number(c.values_used);
  const share = cells === 0 ? null : used / cells;
  return tr(
    th(esc(c.level)),
    td(esc(c.regions)),
    td(`${used} / ${cells}`),
    td(`${pct(share)} ${shareBar(share)}`),
    td(esc(c.carried_forward)),
    td(esc(c.derived)),
  );
}

function dimensionRow(d: ReportData, x: ReportData["dimensions"][number]): string {
  const head = th(`${esc(x.code)} ${esc(x.nameZh)}`);
  const withIndicators = d.regions.filter((r) => r.dimensions[x.code]?.reason !== "no_indicators");
  // D1 has no quantitative target: there is nothing to cover, so it is "not scored", never a red 0%.
  if (withIndicators.length === 0)
    return tr(
      head,
      td("not scored 未计分 — no quantitative target in the plan 无量化目标", { class: "na", colspan: 3 }),
    );
  const cov = withIndicators.map((r) => r.dimensions[x.code]?.weightCoverage ?? 0);
  const mean = cov.reduce((a, b) => a + b, 0) / cov.length;
  const scored = withIndicators.filter((r) => r.dimensions[x.code]?.scored).length;
  const province = d.regions.find((r) => r.level === "province")?.dimensions[x.code];
  return tr(head, cell(province?.weightCoverage ?? null), cell(mean), td(`${scored} / ${withIndicators.length}`));
}

export function coverageSection(d: ReportData): string {
  const threshold = pct(Number(d.run.config["coverageThreshold"] ?? 0.5), 0);
  return section(
    "coverage",
    "数据覆盖 Data coverage",
    "\n",
    table(COVERAGE_HEADS, d.coverage.map(coverageRow).join("")),
    "\n",
    table(DIMENSION_HEADS, d.dimensions.map((x) => dimensionRow(d, x)).join(""), { class: "heat" }),
    "\n",
    note(
      "Coverage = weight of the indicators with a value / weight of the dimension's target indicators; " +
        `below ${threshold} the dimension is not scored. Missing values are never imputed 不插补缺失值.`,
    ),
  );
}
