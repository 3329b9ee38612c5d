// The report's sections about the run and its scores, each a string of HTML with its own inline SVG.
import type { ReportData } from "../read/report-data.ts";
import { formatQuantity } from "../text/number-format.ts";
import { cell, dimensionCell, exclusionList } from "./cells.ts";
import { bold, code, el, note, section, small, table, tableOf, td, th, tr } from "./markup.ts";
import { radarSvg } from "./radar-svg.ts";
import { rankIntervalSvg } from "./rank-svg.ts";
import { esc, num, PALETTE } from "./svg.ts";
import { trendSvg } from "./trend-svg.ts";

type Region = ReportData["regions"][number];
type Trend = ReportData["trends"][number];

function runFacts(d: ReportData): string {
  const setting = (key: string) => esc(String(d.run.config[key]));
  return [
    `Period 统计期 ${bold(esc(d.run.period))}`,
    `as of 截至 ${bold(esc(d.run.asOf))} (${esc(d.run.asOfSource)})`,
    `run ${code(esc(d.run.runId))}`,
    `method 方法 ${setting("method")}`,
    `weights 权重 ${setting("weights")}`,
    `aggregation 汇总 ${setting("aggregation")}`,
    `${d.run.inputRowCount ?? 0} observations 观测值`,
    `${d.run.regions ?? 0} regions 地区`,
  ].join(" · ");
}

export function summarySection(d: ReportData): string {
  const derived =
    d.run.derived.length === 0
      ? el("li", {}, "none 无 — every indicator used was reported")
      : d.run.derived
          .map((x) =>
            el("li", {}, `${code(esc(x.indicator))} @ ${esc(x.region)} (${esc(x.periods.join(", "))}): ${esc(x.rule)}`),
          )
          .join("");
  return section(
    "summary",
    "运行 The run",
    "\n",
    el("p", {}, runFacts(d)),
    "\n",
    el("h3", {}, "推算指标 Derived indicators"),
    el("ul", {}, derived),
  );
}

const RADAR_NOTE =
  "Scores in [0, 1] (realisation 实现度). An axis marked 未计分 has no score (D1 has no quantitative target in the plan). " +
  "—* not scored: coverage below the threshold 覆盖率不足，未计分.";

/** The selector that shows one city's polygon beside the province's. */
function citySelect(cities: readonly Region[]): string {
  const options = cities.map((r) => el("option", { value: esc(r.code) }, `${esc(r.name)} ${esc(r.code)}`)).join("");
  const select = el("select", { id: "radar-city" }, el("option", { value: "" }, "— province only 仅全省 —"), options);
  return el("p", {}, el("label", {}, `Compare with a city 对比设区市: ${select}`));
}

function radarSeries(d: ReportData, province: Region | undefined, cities: readonly Region[]) {
  const values = (r: Region) =>
    d.dimensions.map((x) => (r.dimensions[x.code]?.scored ? (r.dimensions[x.code]?.score ?? null) : null));
  return [
    ...(province
      ? [{ id: province.code, label: `${province.name} province`, color: PALETTE[0], values: values(province) }]
      : []),
    ...cities.map((r, i) => ({
      id: r.code,
      label: r.name,
      color: PALETTE[(i % (PALETTE.length - 1)) + 1]!,
      values: values(r),
      hidden: true,
    })),
  ];
}

/** Composite and dimension scores of the province and every city. */
function heatTable(d: ReportData, shown: readonly Region[]): string {
  const rows = shown
    .map((r) =>
      tr(
        th(`${esc(r.name)} ${small(esc(r.code))}`),
        cell(r.score),
        ...d.dimensions.map((x) => dimensionCell(r, x.code)),
      ),
    )
    .join("");
  const heads = d.dimensions.map((x) =>
    th(`${esc(x.code)}${el("small", { class: "dim" }, esc(x.nameZh))}`, { title: esc(x.nameEn) }),
  );
  return tableOf([th("地区 region"), th("综合 composite"), ...heads], rows, { class: "heat" });
}

export function radarSection(d: ReportData): string {
  const province = d.regions.find((r) => r.level === "province");
  const cities = d.regions.filter((r) => r.level === "prefecture");
  const axes = d.dimensions.map((x) => ({ code: x.code, label: x.nameZh }));
  const shown = [...(province ? [province] : []), ...cities];
  const threshold = Number(d.run.config["coverageThreshold"] ?? 0.5);
  return section(
    "radar",
    "七个维度 The seven dimensions",
    "\n",
    citySelect(cities),
    "\n",
    el("div", { class: "radar" }, radarSvg(axes, radarSeries(d, province, cities))),
    "\n",
    note(RADAR_NOTE),
    "\n",
    heatTable(d, shown),
    "\n",
    exclusionList(shown, threshold),
  );
}

const RANKING_HEADS = [
  "city 设区市",
  "rank 名次",
  "closeness 贴近度",
  "median 中位",
  "5%–95%",
  "composite rank, ratio 比值法",
  "composite rank, progress 进度法",
];

function rankingRow(r: ReportData["cityRanking"][number]): string {
  return tr(
    th(esc(r.name)),
    td(r.rank ?? "—"),
    td(r.closeness === null ? "—" : r.closeness.toFixed(4)),
    td(num(r.median)),
    td(`${num(r.p05)} – ${num(r.p95)}`),
    td(r.byRatio ?? "—"),
    td(r.byProgress ?? "—"),
  );
}

export function rankingSection(d: ReportData): string {
  const draws = String((d.run.config["sensitivity"] as Record<string, unknown> | undefined)?.["draws"] ?? "");
  const explained =
    `Bar: 5%–95% interval of the rank over ${esc(draws)} Monte Carlo draws of ±20% weight noise 权重扰动; ` +
    "dot: median 中位名次; red tick: rank with the entropy weights 基准名次. " +
    `${d.countiesRanked} counties were ranked too (eval_ranking).`;
  return section(
    "ranking",
    "设区市排序 City ranking (TOPSIS, entropy weights)",
    "\n",
    rankIntervalSvg(d.cityRanking),
    "\n",
    note(explained),
    "\n",
    table(RANKING_HEADS, d.cityRanking.map(rankingRow).join("")),
  );
}

const TRENDS_NOTE =
  "Lines: values known at the as-of, one per frequency " +
  "(blue annual 年度, green quarterly 季度, orange monthly 月度; hollow: derived 推算); " +
  "dashed: the straight path from the 2020 baseline to the 2025 target 2020至2025直线路径, " +
  "or a level line where the 2020 baseline already met the target 基期已达标; red ring: the target 目标.";

function trendCard(t: Trend): string {
  const target = `target ${esc(t.op)} ${esc(formatQuantity(t.target, t.unit))}`;
  const baseline = t.baseline === null ? "" : ` · 2020: ${esc(formatQuantity(t.baseline, t.unit))}`;
  const caption = `${bold(esc(t.nameZh))}<br>${small(`${esc(t.nameEn)} · ${esc(t.unit)} · ${target}${baseline}`)}`;
  return el("figure", { class: "trend" }, el("figcaption", {}, caption), trendSvg(t));
}

export function trendsSection(d: ReportData): string {
  if (d.trends.length === 0)
    return section(
      "trends",
      "趋势 Trends since 2020",
      el("p", { class: "empty" }, "No province-level observations. 无全省数据。"),
    );
  return section(
    "trends",
    "趋势 Trends since 2020 against the straight path to the target",
    "\n",
    note(TRENDS_NOTE),
    el("div", { class: "grid" }, d.trends.map(trendCard).join("")),
  );
}
