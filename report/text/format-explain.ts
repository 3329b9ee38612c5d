// The explanation as an indented tree for the terminal.
import type { Explanation, ExplainedIndicator, ExplainedObservation } from "../read/explain.ts";
import type { Rec } from "../read/run-ref.ts";
import { settingsLine } from "./settings-line.ts";
import { fixed, pct } from "./text-table.ts";
import { formatQuantity } from "./number-format.ts";

const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const value = (v: unknown): string => formatQuantity(n(v), null);

function compositeLine(c: Rec, levelCount: number): string {
  const used = String(c["dimensions_used"] ?? "");
  const excluded = String(c["dimensions_excluded"] ?? "");
  const rank =
    c["rank_in_level"] === null ? "not ranked 未排名" : `rank ${String(c["rank_in_level"])} of ${levelCount}`;
  return `composite 综合得分 ${pct(n(c["score"]))} over ${String(c["dimensions_scored"])} of 7 dimensions (${used || "none"})${excluded ? ` · left out for low coverage 覆盖率不足未计入: ${excluded}` : ""} · ${rank}`;
}

function indicatorLine(s: Rec, code: string, name: string, unit: string): string {
  if (s["value"] === null) return `${code} ${name}: no value 无数据 (${String(s["null_reason"])})`;
  const value = (v: unknown) => formatQuantity(n(v), unit);
  const when = `${String(s["period_used"])}${s["carried_forward"] ? `, carried forward ${String(s["age_months"])} month${Number(s["age_months"]) === 1 ? "" : "s"} 沿用` : ""}${s["derived"] ? ", derived 推算" : ""}${s["imputation"] === "linear" ? ", interpolated 线性插补" : ""}`;
  const target =
    s["target_op"] === "band"
      ? `band 区间 [${value(s["band_lower"])}, ${value(s["band_upper"])}]`
      : s["target_op"] === "trend_up" || s["target_op"] === "trend_down"
        ? `${String(s["target_op"])} vs previous ${value(s["previous"])}`
        : `target ${String(s["target_op"])} ${value(s["target"])}`;
  const degree =
    s["realisation"] === null
      ? `no realisation (${String(s["null_reason"])})`
      : `realisation 实现度 ${pct(n(s["realisation"]))} (${String(s["method"])})`;
  const weight = `weight ${fixed(n(s["weight_in_dimension"]) ?? n(s["weight"]))} (${String(s["weight_source"])}) · contribution ${fixed(n(s["contribution"]))}`;
  const track =
    s["on_track"] === null
      ? ""
      : ` · ${s["on_track"] ? "on track 进度达标" : "behind the path 落后于进度"} (path ${value(s["path_value"])})`;
  return `${code} ${name}: ${value(s["value"])} (${when}) · ${target} · ${degree} · ${weight}${track}`;
}

function observationLine(o: ExplainedObservation): string {
  const where = o.source
    ? `${o.source.uri} ${o.source.position} (feed ${o.source.feed})`
    : o.role === "baseline"
      ? "catalog baseline (dim_indicator.baseline_2020)"
      : "derived here from the inputs listed 由下列数据推算";
  return `${o.role.padEnd(8)} ${o.region} ${o.indicator} ${o.period} = ${formatQuantity(o.value, o.unit)} · vintage ${o.vintage ?? "—"} · ${where}`;
}

function indicatorLines(ind: ExplainedIndicator, prefix: string, last: boolean): string[] {
  const out = [`${prefix}${last ? "└─ " : "├─ "}${indicatorLine(ind.score, ind.code, ind.name, ind.unit)}`];
  const child = `${prefix}${last ? "   " : "│  "}`;
  ind.observations.forEach((o, i) =>
    out.push(`${child}${i === ind.observations.length - 1 ? "└─ " : "├─ "}${observationLine(o)}`),
  );
  return out;
}

export function formatExplanation(e: Explanation, options: { showMissing?: boolean; chosenBy?: string } = {}): string {
  const c = e.composite;
  const cfg = e.run.config;
  const lines = [
    `run 评价运行 ${e.run.runId} · period 统计期 ${e.run.period} · as of 截至 ${e.run.asOf} (${e.run.asOfSource})${options.chosenBy ? ` · chosen by ${options.chosenBy}` : ""}`,
    `settings 设置: ${settingsLine(cfg)} (contributions are ${cfg["aggregation"] === "geometric" ? "factors whose product" : "terms whose sum"} is the composite)`,
    `${e.region.name} ${e.region.code} (${e.region.level})`,
    compositeLine(c, e.levelCount),
    ...(c["rank_note"] ? [`  ${String(c["rank_note"])}`] : []),
  ];
  const threshold = Number(cfg["coverageThreshold"] ?? 0.5);
  e.dimensions.forEach((d, di) => {
    const lastDim = di === e.dimensions.length - 1;
    const s = d.score;
    const coverage = `coverage 覆盖率 ${String(s["present"])}/${String(s["indicators"])}, ${pct(n(s["weight_coverage"]), 0)} of the weight`;
    const head = s["scored"]
      ? `${pct(n(s["score"]))} · weight ${value(s["weight"])} · contribution ${fixed(n(s["contribution"]))} · ${coverage}`
      : s["not_scored_reason"] === "below_coverage"
        ? `not scored 未计分: ${coverage}, below the ${pct(threshold, 0)} threshold 覆盖率不足 (the indicators present give ${pct(n(s["raw_score"]))}; left out of the composite)`
        : `not scored 未计分 · coverage ${String(s["present"])}/${String(s["indicators"])}${Number(s["indicators"]) === 0 ? " (no quantitative target in the plan 无量化目标)" : ""}`;
    lines.push(`${lastDim ? "└─ " : "├─ "}${d.code} ${d.name}: ${head}`);
    const prefix = lastDim ? "   " : "│  ";
    const shown = options.showMissing ? d.indicators : d.indicators.filter((i) => i.score["value"] !== null);
    const missing = d.indicators.filter((i) => i.score["value"] === null);
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
