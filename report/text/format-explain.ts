// The explanation as an indented tree for the terminal.
import type { Explanation, ExplainedIndicator, ExplainedObservation } from "../read/explain.ts";
import type { CompositeRow, DimensionRow, IndicatorRow } from "../read/explain-rows.ts";
import { settingsLine } from "./settings-line.ts";
import { fixed, pct } from "./text-table.ts";
import { formatQuantity } from "./number-format.ts";

const value = (v: number | null): string => formatQuantity(v, null);

function compositeLine(c: CompositeRow, levelCount: number): string {
  const used = c.dimensions_used ?? "";
  const excluded = c.dimensions_excluded ?? "";
  const rank = c.rank_in_level === null ? "not ranked 未排名" : `rank ${c.rank_in_level} of ${levelCount}`;
  const left = excluded ? ` · left out for low coverage 覆盖率不足未计入: ${excluded}` : "";
  return `composite 综合得分 ${pct(c.score)} over ${c.dimensions_scored} of 7 dimensions (${used || "none"})${left} · ${rank}`;
}

/** The period used, and whether it was carried forward, derived or interpolated. */
function whenLine(s: IndicatorRow): string {
  const months = `${s.age_months} month${s.age_months === 1 ? "" : "s"}`;
  return [
    `${s.period_used}`,
    s.carried_forward ? `, carried forward ${months} 沿用` : "",
    s.derived ? ", derived 推算" : "",
    s.imputation === "linear" ? ", interpolated 线性插补" : "",
  ].join("");
}

function targetLine(s: IndicatorRow, quantity: (v: number | null) => string): string {
  if (s.target_op === "band") return `band 区间 [${quantity(s.band_lower)}, ${quantity(s.band_upper)}]`;
  if (s.target_op === "trend_up" || s.target_op === "trend_down")
    return `${s.target_op} vs previous ${quantity(s.previous)}`;
  return `target ${s.target_op} ${quantity(s.target)}`;
}

function indicatorLine(s: IndicatorRow, code: string, name: string, unit: string): string {
  if (s.value === null) return `${code} ${name}: no value 无数据 (${s.null_reason})`;
  const quantity = (v: number | null) => formatQuantity(v, unit);
  const degree =
    s.realisation === null
      ? `no realisation (${s.null_reason})`
      : `realisation 实现度 ${pct(s.realisation)} (${s.method})`;
  const weight =
    `weight ${fixed(s.weight_in_dimension ?? s.weight)} (${s.weight_source})` +
    ` · contribution ${fixed(s.contribution)}`;
  const track =
    s.on_track === null
      ? ""
      : ` · ${s.on_track ? "on track 进度达标" : "behind the path 落后于进度"} (path ${quantity(s.path_value)})`;
  const parts = [quantity(s.value), `(${whenLine(s)})`, "·", targetLine(s, quantity), "·", degree, "·", weight];
  return `${code} ${name}: ${parts.join(" ")}${track}`;
}

function observationLine(o: ExplainedObservation): string {
  const where = o.source
    ? `${o.source.uri} ${o.source.position} (feed ${o.source.feed})`
    : o.role === "baseline"
      ? "catalog baseline (dim_indicator.baseline_2020)"
      : "derived here from the inputs listed 由下列数据推算";
  const vintage = `vintage ${o.vintage ?? "—"}`;
  return `${o.role.padEnd(8)} ${o.region} ${o.indicator} ${o.period} = ${formatQuantity(o.value, o.unit)} · ${vintage} · ${where}`;
}

function indicatorLines(ind: ExplainedIndicator, prefix: string, last: boolean): string[] {
  const out = [`${prefix}${last ? "└─ " : "├─ "}${indicatorLine(ind.score, ind.code, ind.name, ind.unit)}`];
  const child = `${prefix}${last ? "   " : "│  "}`;
  ind.observations.forEach((o, i) =>
    out.push(`${child}${i === ind.observations.length - 1 ? "└─ " : "├─ "}${observationLine(o)}`),
  );
  return out;
}

/** A dimension's head: its score, or why it has none. */
function dimensionHead(s: DimensionRow, threshold: number): string {
  const counted = `${s.present}/${s.indicators}`;
  const coverage = `coverage 覆盖率 ${counted}, ${pct(s.weight_coverage, 0)} of the weight`;
  if (s.scored)
    return `${pct(s.score)} · weight ${value(s.weight)} · contribution ${fixed(s.contribution)} · ${coverage}`;
  if (s.not_scored_reason === "below_coverage")
    return (
      `not scored 未计分: ${coverage}, below the ${pct(threshold, 0)} threshold 覆盖率不足 ` +
      `(the indicators present give ${pct(s.raw_score)}; left out of the composite)`
    );
  const noTarget = Number(s.indicators) === 0 ? " (no quantitative target in the plan 无量化目标)" : "";
  return `not scored 未计分 · coverage ${counted}${noTarget}`;
}

function headLines(e: Explanation, chosenBy: string | undefined): string[] {
  const cfg = e.run.config;
  const chosen = chosenBy ? ` · chosen by ${chosenBy}` : "";
  const contributions = cfg["aggregation"] === "geometric" ? "factors whose product" : "terms whose sum";
  return [
    `run 评价运行 ${e.run.runId} · period 统计期 ${e.run.period} · as of 截至 ${e.run.asOf} (${e.run.asOfSource})${chosen}`,
    `settings 设置: ${settingsLine(cfg)} (contributions are ${contributions} is the composite)`,
    `${e.region.name} ${e.region.code} (${e.region.level})`,
    compositeLine(e.composite, e.levelCount),
    ...(e.composite.rank_note ? [`  ${e.composite.rank_note}`] : []),
  ];
}

export function formatExplanation(e: Explanation, options: { showMissing?: boolean; chosenBy?: string } = {}): string {
  const lines = headLines(e, options.chosenBy);
  const threshold = Number(e.run.config["coverageThreshold"] ?? 0.5);
  e.dimensions.forEach((d, di) => {
    const lastDim = di === e.dimensions.length - 1;
    lines.push(`${lastDim ? "└─ " : "├─ "}${d.code} ${d.name}: ${dimensionHead(d.score, threshold)}`);
    const prefix = lastDim ? "   " : "│  ";
    const shown = options.showMissing ? d.indicators : d.indicators.filter((i) => i.score.value !== null);
    const missing = d.indicators.filter((i) => i.score.value === null);
    shown.forEach((ind, i) =>
      lines.push(
        ...indicatorLines(ind, prefix, i === shown.length - 1 && (options.showMissing || missing.length === 0)),
      ),
    );
    if (!options.showMissing && missing.length > 0)
      lines.push(`${prefix}└─ no value 无数据 (${missing.length}): ${missing.map((m) => m.code).join(", ")}`);
  });
  return `${lines.join("\n")}\n`;
}
