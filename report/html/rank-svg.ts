// City ranking with its sensitivity: the 5-95% rank interval as a bar, the median as a dot, the base rank as a tick.
import { el, empty, svgImage, title } from "./markup.ts";
import { esc, f1, scale } from "./svg.ts";
import type { RankRow } from "../read/report-data.ts";

export function rankIntervalSvg(rows: readonly RankRow[], width = 640): string {
  const ranked = rows.filter((r) => r.rank !== null);
  if (ranked.length === 0)
    return `<p class="empty">No ranking: fewer than two cities share an indicator. 无排序：数据不足。</p>`;
  const n = ranked.length;
  const rowH = 26;
  const left = 130;
  const right = 90;
  const top = 30;
  const height = top + rowH * n + 20;
  const x = scale(1, Math.max(n, 2), left, width - right);
  const axis = Array.from({ length: n }, (_, i) => i + 1)
    .map(
      (k) =>
        empty("line", { x1: f1(x(k)), y1: top - 6, x2: f1(x(k)), y2: height - 20, stroke: "#eee" }) +
        el("text", { x: f1(x(k)), y: top - 10, "text-anchor": "middle", class: "tick" }, String(k)),
    )
    .join("");
  const body = ranked
    .map((r, i) => {
      const y = top + rowH * i + rowH / 2;
      const lo = r.p05 ?? r.rank!;
      const hi = r.p95 ?? r.rank!;
      const interval = { x1: f1(x(lo)), y1: f1(y), x2: f1(x(hi)), y2: f1(y), stroke: "#2471a3", "stroke-width": 6 };
      const base = { x1: f1(x(r.rank!)), y1: f1(y - 8), x2: f1(x(r.rank!)), y2: f1(y + 8), stroke: "#c0392b" };
      const closeness = r.closeness === null ? "—" : r.closeness.toFixed(3);
      return [
        el("text", { x: left - 10, y: f1(y + 4), "text-anchor": "end" }, esc(r.name)),
        el("line", { ...interval, "stroke-linecap": "round", opacity: "0.35" }, title(`5%-95%: ${lo}-${hi}`)),
        el("line", { ...base, "stroke-width": 2 }, title(`base rank 基准名次 ${r.rank}`)),
        el(
          "circle",
          { cx: f1(x(r.median ?? r.rank!)), cy: f1(y), r: 4.5, fill: "#2471a3" },
          title(`median 中位 ${r.median ?? "—"}`),
        ),
        el("text", { x: width - right + 10, y: f1(y + 4), class: "tick" }, `C ${closeness}`),
      ].join("");
    })
    .join("");
  const label = "city ranking with sensitivity intervals 设区市排序及敏感性区间";
  return svgImage(width, height, label, el("text", { x: left, y: 12, class: "tick" }, "rank 名次 →"), axis, body);
}
