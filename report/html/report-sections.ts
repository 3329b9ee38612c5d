// The sections of the HTML report, each a string of HTML with its own inline SVG.
import type { ReportData } from "../read/report-data.ts";
import { radarSvg } from "./radar-svg.ts";
import { rankIntervalSvg } from "./rank-svg.ts";
import { shareBar, trendSvg } from "./trend-svg.ts";
import { esc, num, PALETTE, pct } from "./svg.ts";
import { formatQuantity } from "../text/number-format.ts";

const cell = (x: number | null) => {
  if (x === null) return `<td class="na">—</td>`;
  const hue = Math.round(120 * Math.max(0, Math.min(1, x)));
  return `<td style="background:hsl(${hue},55%,80%)">${pct(x, 0)}</td>`;
};

type Region = ReportData["regions"][number];

/** A dimension's cell: its score, or why it has none (below the coverage threshold: not scored, shown as —*). */
function dimensionCell(r: Region, code: string): string {
  const x = r.dimensions[code];
  if (x?.reason === "below_coverage")
    return `<td class="na excluded" title="not scored: ${pct(x.weightCoverage, 0)} of the weight has data">—*</td>`;
  return cell(x?.scored ? (x.score ?? null) : null);
}

/** One line per region whose composite leaves out a dimension for low coverage. */
function exclusionList(regions: readonly Region[], threshold: number): string {
  const items = regions
    .filter((r) => r.dimensionsExcluded.length > 0)
    .map((r) => {
      const parts = r.dimensionsExcluded.map((code) => {
        const x = r.dimensions[code];
        return `${esc(code)} (${pct(x?.weightCoverage ?? 0, 0)} of the weight has data; the indicators present give ${pct(x?.rawScore ?? null)})`;
      });
      return `<li>${esc(r.name)} ${esc(r.code)}: ${parts.join("; ")}${r.rankNote ? ` — ${esc(r.rankNote)}` : ""}</li>`;
    })
    .join("");
  const rule = `A dimension with less than ${pct(threshold, 0)} of its indicators' weight scored is not scored 覆盖率不足不计分, and the composite uses only the scored dimensions; regions are ranked only among regions scored on the same dimensions.`;
  return items === ""
    ? `<p class="note">${rule} No dimension was left out.</p>`
    : `<p class="note">${rule}</p><h3>left out for low coverage 覆盖率不足未计入</h3><ul class="excluded">${items}</ul>`;
}

export function summarySection(d: ReportData): string {
  const c = d.run.config;
  const derived =
    d.run.derived.length === 0
      ? "<li>none 无 — every indicator used was reported</li>"
      : d.run.derived
          .map(
            (x) =>
              `<li><code>${esc(String(x["indicator"]))}</code> @ ${esc(String(x["region"]))} (${esc((x["periods"] as string[]).join(", "))}): ${esc(String(x["rule"]))}</li>`,
          )
          .join("");
  return `<section id="summary"><h2>运行 The run</h2>
<p>Period 统计期 <b>${esc(d.run.period)}</b> · as of 截至 <b>${esc(d.run.asOf)}</b> (${esc(d.run.asOfSource)}) · run <code>${esc(d.run.runId)}</code> · method 方法 ${esc(String(c["method"]))} · weights 权重 ${esc(String(c["weights"]))} · aggregation 汇总 ${esc(String(c["aggregation"]))} · ${d.run.inputRowCount ?? 0} observations 观测值 · ${d.run.regions ?? 0} regions 地区</p>
<h3>推算指标 Derived indicators</h3><ul>${derived}</ul></section>`;
}

export function radarSection(d: ReportData): string {
  const province = d.regions.find((r) => r.level === "province");
  const cities = d.regions.filter((r) => r.level === "prefecture");
  const axes = d.dimensions.map((x) => ({ code: x.code, label: x.nameZh }));
  const values = (r: (typeof d.regions)[number]) =>
    d.dimensions.map((x) => (r.dimensions[x.code]?.scored ? (r.dimensions[x.code]?.score ?? null) : null));
  const series = [
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
  const options = cities.map((r) => `<option value="${esc(r.code)}">${esc(r.name)} ${esc(r.code)}</option>`).join("");
  const rows = [...(province ? [province] : []), ...cities]
    .map(
      (r) =>
        `<tr><th>${esc(r.name)} <small>${esc(r.code)}</small></th>${cell(r.score)}${d.dimensions.map((x) => dimensionCell(r, x.code)).join("")}</tr>`,
    )
    .join("");
  return `<section id="radar"><h2>七个维度 The seven dimensions</h2>
<p><label>Compare with a city 对比设区市: <select id="radar-city"><option value="">— province only 仅全省 —</option>${options}</select></label></p>
<div class="radar">${radarSvg(axes, series)}</div>
<p class="note">Scores in [0, 1] (realisation 实现度). An axis marked 未计分 has no score (D1 has no quantitative target in the plan). —* not scored: coverage below the threshold 覆盖率不足，未计分.</p>
<table class="heat"><thead><tr><th>地区 region</th><th>综合 composite</th>${d.dimensions.map((x) => `<th title="${esc(x.nameEn)}">${esc(x.code)}<small class="dim">${esc(x.nameZh)}</small></th>`).join("")}</tr></thead><tbody>${rows}</tbody></table>
${exclusionList([...(province ? [province] : []), ...cities], Number(d.run.config["coverageThreshold"] ?? 0.5))}</section>`;
}

export function rankingSection(d: ReportData): string {
  const rows = d.cityRanking
    .map(
      (r) =>
        `<tr><th>${esc(r.name)}</th><td>${r.rank ?? "—"}</td><td>${r.closeness === null ? "—" : r.closeness.toFixed(4)}</td><td>${num(r.median)}</td><td>${num(r.p05)} – ${num(r.p95)}</td><td>${r.byRatio ?? "—"}</td><td>${r.byProgress ?? "—"}</td></tr>`,
    )
    .join("");
  const draws = String((d.run.config["sensitivity"] as Record<string, unknown> | undefined)?.["draws"] ?? "");
  return `<section id="ranking"><h2>设区市排序 City ranking (TOPSIS, entropy weights)</h2>
${rankIntervalSvg(d.cityRanking)}
<p class="note">Bar: 5%–95% interval of the rank over ${esc(draws)} Monte Carlo draws of ±20% weight noise 权重扰动; dot: median 中位名次; red tick: rank with the entropy weights 基准名次. ${d.countiesRanked} counties were ranked too (eval_ranking).</p>
<table><thead><tr><th>city 设区市</th><th>rank 名次</th><th>closeness 贴近度</th><th>median 中位</th><th>5%–95%</th><th>composite rank, ratio 比值法</th><th>composite rank, progress 进度法</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

export function trendsSection(d: ReportData): string {
  if (d.trends.length === 0)
    return `<section id="trends"><h2>趋势 Trends since 2020</h2><p class="empty">No province-level observations. 无全省数据。</p></section>`;
  const cards = d.trends
    .map(
      (t) =>
        `<figure class="trend"><figcaption><b>${esc(t.nameZh)}</b><br><small>${esc(t.nameEn)} · ${esc(t.unit)} · target ${esc(t.op)} ${esc(formatQuantity(t.target, t.unit))}${t.baseline === null ? "" : ` · 2020: ${esc(formatQuantity(t.baseline, t.unit))}`}</small></figcaption>${trendSvg(t)}</figure>`,
    )
    .join("");
  return `<section id="trends"><h2>趋势 Trends since 2020 against the straight path to the target</h2>
<p class="note">Lines: values known at the as-of, one per frequency (blue annual 年度, green quarterly 季度, orange monthly 月度; hollow: derived 推算); dashed: the straight path from the 2020 baseline to the 2025 target 2020至2025直线路径, or a level line where the 2020 baseline already met the target 基期已达标; red ring: the target 目标.</p><div class="grid">${cards}</div></section>`;
}

export function furthestSection(d: ReportData): string {
  const rows = d.furthest
    .map(
      (r) =>
        `<tr><th>${esc(String(r["region_name"]))}</th><td class="l">${esc(String(r["name_zh"]))}<br><small>${esc(String(r["name_en"]))}</small></td><td>${esc(formatQuantity(Number(r["value"]), String(r["unit"])))}</td><td>${esc(String(r["target_op"]))} ${esc(formatQuantity(Number(r["target"]), String(r["unit"])))}</td><td>${pct(Number(r["realisation"]))} ${shareBar(Number(r["realisation"]))}</td><td>${r["on_track"] === null ? "—" : r["on_track"] ? "yes 是" : "no 否"}</td><td>${esc(String(r["period_used"]))}${r["carried_forward"] ? " ↻" : ""}${r["derived"] ? " (derived)" : ""}</td></tr>`,
    )
    .join("");
  return `<section id="furthest"><h2>差距最大的指标 Indicators furthest from target</h2>
<table><thead><tr><th>region 地区</th><th>indicator 指标</th><th>value 数值</th><th>target 目标</th><th>realisation 实现度</th><th>on track 进度达标</th><th>period 统计期</th></tr></thead><tbody>${rows}</tbody></table>
<p class="note">Province and cities, lowest realisation first (trend indicators excluded); ↻ carried forward from an earlier period 沿用.</p></section>`;
}

export function disparitySection(d: ReportData): string {
  const rows = d.disparity
    .filter((x) => x["group_code"] === null)
    .map(
      (x) =>
        `<tr><td>${esc(String(x["scope"]))}</td><td>${esc(String(x["measure"]))}</td><td>${num(Number(x["value"]), 4)}</td><td>${x["target"] === null ? "—" : `≤ ${num(Number(x["target"]))} ${x["meets_target"] ? "✓" : "✗"}`}</td><td>${x["weighted"] ? "population-weighted 人口加权" : "unweighted 未加权"}</td><td>${esc(String(x["units"]))}</td></tr>`,
    )
    .join("");
  return `<section id="disparity"><h2>地区差距 Disparity</h2><table><thead><tr><th>scope 范围</th><th>measure 指标</th><th>value 数值</th><th>target 目标</th><th>weights 权重</th><th>units 单位数</th></tr></thead><tbody>${rows}</tbody></table>
<p class="note">Theil T over counties splits into between-cities 市际 and within-cities 市内 parts (eval_disparity has each city's share).</p></section>`;
}

export function coverageSection(d: ReportData): string {
  const rows = d.coverage
    .map((c) => {
      const cells = Number(c["cells"]);
      const used = Number(c["values_used"]);
      return `<tr><th>${esc(String(c["level"]))}</th><td>${esc(String(c["regions"]))}</td><td>${used} / ${cells}</td><td>${pct(cells === 0 ? null : used / cells)} ${shareBar(cells === 0 ? null : used / cells)}</td><td>${esc(String(c["carried_forward"]))}</td><td>${esc(String(c["derived"]))}</td></tr>`;
    })
    .join("");
  const dims = d.dimensions
    .map((x) => {
      const withIndicators = d.regions.filter((r) => r.dimensions[x.code]?.reason !== "no_indicators");
      // D1 has no quantitative target: there is nothing to cover, so it is "not scored", never a red 0%.
      if (withIndicators.length === 0)
        return `<tr><th>${esc(x.code)} ${esc(x.nameZh)}</th><td class="na" colspan="3">not scored 未计分 — no quantitative target in the plan 无量化目标</td></tr>`;
      const cov = withIndicators.map((r) => r.dimensions[x.code]?.weightCoverage ?? 0);
      const mean = cov.reduce((a, b) => a + b, 0) / cov.length;
      const scored = withIndicators.filter((r) => r.dimensions[x.code]?.scored).length;
      const province = d.regions.find((r) => r.level === "province")?.dimensions[x.code];
      return `<tr><th>${esc(x.code)} ${esc(x.nameZh)}</th>${cell(province?.weightCoverage ?? null)}${cell(mean)}<td>${scored} / ${withIndicators.length}</td></tr>`;
    })
    .join("");
  return `<section id="coverage"><h2>数据覆盖 Data coverage</h2>
<table><thead><tr><th>level 层级</th><th>regions 地区</th><th>values used 有值</th><th>coverage 覆盖率</th><th>carried forward 沿用</th><th>derived 推算</th></tr></thead><tbody>${rows}</tbody></table>
<table class="heat"><thead><tr><th>dimension 维度</th><th>province 全省</th><th>mean over regions 各地区平均</th><th>regions scored 计分地区</th></tr></thead><tbody>${dims}</tbody></table>
<p class="note">Coverage = weight of the indicators with a value / weight of the dimension's target indicators; below ${pct(Number(d.run.config["coverageThreshold"] ?? 0.5), 0)} the dimension is not scored. Missing values are never imputed 不插补缺失值.</p></section>`;
}
