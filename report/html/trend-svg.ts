// One indicator's path since 2020: observed values against the straight line from the 2020 baseline to the 2025 target.
import { el, empty, svgImage, title } from "./markup.ts";
import { esc, f1, num, scale, ticks } from "./svg.ts";
import type { Trend, TrendPoint } from "../../evaluate/index.ts";
import { formatNumber, indicatorDecimals } from "../text/number-format.ts";

const LINE: Readonly<Record<TrendPoint["frequency"], { color: string; width: number; label: string }>> = {
  annual: { color: "#2471a3", width: 2, label: "annual 年度" },
  quarterly: { color: "#229954", width: 1.5, label: "quarterly 季度" },
  monthly: { color: "#b9770e", width: 1.2, label: "monthly 月度" },
};

/** Whether the 2020 baseline already meets the target (no distance left to cover). */
export function baselineMeetsTarget(t: Pick<Trend, "op" | "baseline" | "target">): boolean {
  if (t.baseline === null || t.target === null) return false;
  if (t.op === ">=" || t.op === ">") return t.baseline >= t.target;
  if (t.op === "<=" || t.op === "<") return t.baseline <= t.target;
  return false;
}

export function trendSvg(t: Trend, width = 300, height = 180): string {
  const m = { l: 52, r: 12, t: 12, b: 24 };
  const hasPath = t.baseline !== null && t.target !== null;
  const lastX = Math.max(2025, ...t.points.map((p) => p.x));
  const ys = [
    ...t.points.map((p) => p.value),
    ...(hasPath ? [t.baseline!] : []),
    ...(t.target !== null ? [t.target] : []),
  ];
  const pad = (Math.max(...ys) - Math.min(...ys)) * 0.08 || Math.abs(ys[0]!) * 0.05 || 1;
  const y0 = Math.min(...ys) - pad;
  const y1 = Math.max(...ys) + pad;
  // Quarters and months of 2020 sit before the year's end (2020Q1 is 2019.25): start the axis early enough for them.
  const firstX = Math.min(2020, Math.floor(Math.min(...t.points.map((p) => p.x))));
  const x = scale(firstX, lastX, m.l, width - m.r);
  const y = scale(y0, y1, height - m.b, m.t);
  const tickValues = ticks(y0, y1, 3);
  // Every tick at the precision of the finest one, so 0.015, 0.02 and 0.025 never read 0.02, 0.02, 0.03.
  const tickDecimals = indicatorDecimals(tickValues);
  const yTicks = tickValues
    .map(
      (v) =>
        empty("line", { x1: m.l, y1: f1(y(v)), x2: width - m.r, y2: f1(y(v)), stroke: "#eee" }) +
        el("text", { x: m.l - 4, y: f1(y(v) + 3), "text-anchor": "end", class: "tick" }, formatNumber(v, tickDecimals)),
    )
    .join("");
  const xTicks = Array.from({ length: Math.floor(lastX) - firstX + 1 }, (_, i) => firstX + i)
    .map((yr) => el("text", { x: f1(x(yr)), y: height - 8, "text-anchor": "middle", class: "tick" }, String(yr)))
    .join("");
  const dashed = { stroke: "#888", "stroke-dasharray": "5,4" };
  // A baseline already at or past the target has no way left to go: the target is a level to hold, not a slope.
  const path = !hasPath
    ? ""
    : baselineMeetsTarget(t)
      ? el(
          "line",
          { x1: f1(x(2020)), y1: f1(y(t.target!)), x2: f1(x(2025)), y2: f1(y(t.target!)), ...dashed, class: "held" },
          title(`target already met in 2020 基期已达标: hold ${esc(t.op)} ${num(t.target)}`),
        )
      : el(
          "line",
          { x1: f1(x(2020)), y1: f1(y(t.baseline!)), x2: f1(x(2025)), y2: f1(y(t.target!)), ...dashed, class: "path" },
          title("straight path 2020→2025 直线路径"),
        );
  // Without a 2020 baseline there is no path, but the target still shows where the line must end.
  const target =
    t.target === null
      ? ""
      : empty("line", {
          x1: f1(x(2025)),
          y1: f1(y(t.target)),
          x2: f1(x(lastX)),
          y2: f1(y(t.target)),
          stroke: "#888",
          "stroke-dasharray": "2,3",
        }) +
        el(
          "circle",
          { cx: f1(x(2025)), cy: f1(y(t.target)), r: 4, fill: "none", stroke: "#c0392b", "stroke-width": 2 },
          title(`target 目标 ${esc(t.op)} ${num(t.target)}`),
        );
  // One line per frequency: a monthly series and the annual values of the same indicator are different measures.
  const line = (["annual", "quarterly", "monthly"] as const)
    .map((f) => {
      const pts = t.points.filter((p) => p.frequency === f);
      if (pts.length < 2) return "";
      const points = pts.map((p) => `${f1(x(p.x))},${f1(y(p.value))}`).join(" ");
      const attrs = {
        class: `series-${f}`,
        points,
        fill: "none",
        stroke: LINE[f].color,
        "stroke-width": LINE[f].width,
      };
      return el("polyline", attrs, title(LINE[f].label));
    })
    .join("");
  const dots = t.points
    .map((p) => {
      const c = LINE[p.frequency].color;
      const r = p.frequency === "monthly" ? 1.8 : 3;
      const attrs = { cx: f1(x(p.x)), cy: f1(y(p.value)), r, fill: p.derived ? "#fff" : c, stroke: c };
      return el("circle", attrs, title(`${esc(p.period)}: ${num(p.value)}${p.derived ? " (derived 推算)" : ""}`));
    })
    .join("");
  const frequencies = new Set(t.points.map((p) => p.frequency));
  const legend =
    frequencies.size < 2
      ? ""
      : [...frequencies]
          .map((f, i) => {
            const at = { x: width - m.r - 4, y: m.t + 10 + 12 * i, "text-anchor": "end", class: "tick" };
            return el("text", { ...at, fill: LINE[f].color, style: `fill:${LINE[f].color}` }, LINE[f].label);
          })
          .join("");
  return svgImage(width, height, `${esc(t.code)} trend`, yTicks, xTicks, path, target, line, dots, legend);
}

/** A horizontal bar for a share in [0, 1]. */
export function shareBar(x: number | null, width = 120): string {
  const w = x === null ? 0 : Math.max(0, Math.min(1, x)) * width;
  const color = x === null ? "#ccc" : x >= 1 ? "#229954" : x >= 0.8 ? "#b9770e" : "#c0392b";
  return el(
    "svg",
    { xmlns: "http://www.w3.org/2000/svg", width, height: 10, viewBox: `0 0 ${width} 10` },
    empty("rect", { width, height: 10, fill: "#eee" }),
    empty("rect", { width: f1(w), height: 10, fill: color }),
  );
}
