// One indicator's path since 2020: observed values against the straight line from the 2020 baseline to the 2025 target.
import { esc, f1, num, scale, ticks } from "./svg.ts";
import type { Trend } from "./report-data.ts";

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
  const x = scale(2020, lastX, m.l, width - m.r);
  const y = scale(y0, y1, height - m.b, m.t);
  const yTicks = ticks(y0, y1, 3)
    .map(
      (v) =>
        `<line x1="${m.l}" y1="${f1(y(v))}" x2="${width - m.r}" y2="${f1(y(v))}" stroke="#eee"/><text x="${m.l - 4}" y="${f1(y(v) + 3)}" text-anchor="end" class="tick">${num(v)}</text>`,
    )
    .join("");
  const xTicks = Array.from({ length: Math.floor(lastX) - 2020 + 1 }, (_, i) => 2020 + i)
    .map((yr) => `<text x="${f1(x(yr))}" y="${height - 8}" text-anchor="middle" class="tick">${yr}</text>`)
    .join("");
  const path = hasPath
    ? `<line x1="${f1(x(2020))}" y1="${f1(y(t.baseline!))}" x2="${f1(x(2025))}" y2="${f1(y(t.target!))}" stroke="#888" stroke-dasharray="5,4"><title>straight path 2020→2025 直线路径</title></line>`
    : "";
  // Without a 2020 baseline there is no path, but the target still shows where the line must end.
  const target =
    t.target === null
      ? ""
      : `<line x1="${f1(x(2025))}" y1="${f1(y(t.target))}" x2="${f1(x(lastX))}" y2="${f1(y(t.target))}" stroke="#888" stroke-dasharray="2,3"/>` +
        `<circle cx="${f1(x(2025))}" cy="${f1(y(t.target))}" r="4" fill="none" stroke="#c0392b" stroke-width="2"><title>target 目标 ${esc(t.op)} ${num(t.target)}</title></circle>`;
  const line =
    t.points.length > 1
      ? `<polyline points="${t.points.map((p) => `${f1(x(p.x))},${f1(y(p.value))}`).join(" ")}" fill="none" stroke="#2471a3" stroke-width="2"/>`
      : "";
  const dots = t.points
    .map(
      (p) =>
        `<circle cx="${f1(x(p.x))}" cy="${f1(y(p.value))}" r="3" fill="${p.derived ? "#fff" : "#2471a3"}" stroke="#2471a3"><title>${esc(p.period)}: ${num(p.value)}${p.derived ? " (derived 推算)" : ""}</title></circle>`,
    )
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(t.code)} trend">${yTicks}${xTicks}${path}${target}${line}${dots}</svg>`;
}

/** A horizontal bar for a share in [0, 1]. */
export function shareBar(x: number | null, width = 120): string {
  const w = x === null ? 0 : Math.max(0, Math.min(1, x)) * width;
  const color = x === null ? "#ccc" : x >= 1 ? "#229954" : x >= 0.8 ? "#b9770e" : "#c0392b";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="10" viewBox="0 0 ${width} 10"><rect width="${width}" height="10" fill="#eee"/><rect width="${f1(w)}" height="10" fill="${color}"/></svg>`;
}
