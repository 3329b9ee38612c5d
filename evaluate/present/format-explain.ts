// The explanation as an indented tree for the terminal.
import type { Explanation, ExplainedIndicator, ExplainedObservation } from "./explain.ts";
import type { Rec } from "./query.ts";
import { fixed, pct } from "./text-table.ts";

const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const value = (v: unknown): string => {
  const x = n(v);
  if (x === null) return "—";
  return Math.abs(x) >= 1000
    ? x.toLocaleString("en-US", { maximumFractionDigits: 2 })
    : String(Number(x.toPrecision(6)));
};

function indicatorLine(s: Rec, code: string, name: string): string {
  if (s["value"] === null) return `${code} ${name}: no value 无数据 (${String(s["null_reason"])})`;
  const when = `${String(s["period_used"])}${s["carried_forward"] ? `, carried forward ${String(s["age_months"])} month${Number(s["age_months"]) === 1 ? "" : "s"} 沿用` : ""}${s["derived"] ? ", derived 推算" : ""}`;
  const target =
    s["target_op"] === "trend_up" || s["target_op"] === "trend_down"
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
  return `${o.role.padEnd(8)} ${o.region} ${o.indicator} ${o.period} = ${value(o.value)} · vintage ${o.vintage ?? "—"} · ${where}`;
}

function indicatorLines(ind: ExplainedIndicator, prefix: string, last: boolean): string[] {
  const out = [`${prefix}${last ? "└─ " : "├─ "}${indicatorLine(ind.score, ind.code, ind.name)}`];
  const child = `${prefix}${last ? "   " : "│  "}`;
  ind.observations.forEach((o, i) =>
    out.push(`${child}${i === ind.observations.length - 1 ? "└─ " : "├─ "}${observationLine(o)}`),
  );
  return out;
}

export function formatExplanation(e: Explanation, options: { showMissing?: boolean } = {}): string {
  const c = e.composite;
  const cfg = e.run.config;
  const lines = [
    `${e.region.name} ${e.region.code} (${e.region.level}) · period 统计期 ${e.run.period} · run ${e.run.runId} as of ${e.run.asOf} (${e.run.asOfSource})`,
    `settings: method ${String(cfg["method"])} · weights ${String(cfg["weights"])} · aggregation ${String(cfg["aggregation"])} (contributions are ${cfg["aggregation"] === "geometric" ? "factors whose product" : "terms whose sum"} is the composite)`,
    `composite 综合得分 ${pct(n(c["score"]))} · ${String(c["dimensions_scored"])} of 7 dimensions scored · rank ${c["rank_in_level"] === null ? "—" : String(c["rank_in_level"])} of ${e.levelCount}`,
  ];
  e.dimensions.forEach((d, di) => {
    const lastDim = di === e.dimensions.length - 1;
    const s = d.score;
    const head = s["scored"]
      ? `${pct(n(s["score"]))} · weight ${value(s["weight"])} · contribution ${fixed(n(s["contribution"]))} · coverage 覆盖率 ${String(s["present"])}/${String(s["indicators"])}${s["flagged"] ? " (flagged: below the threshold 覆盖率不足)" : ""}`
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
