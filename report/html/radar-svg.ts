// Radar of the seven dimensions: one polygon per region, axes for D1-D7 (unscored axes drawn at 0 and marked).
import { el, empty, svgImage, title } from "./markup.ts";
import { esc, f1, pct } from "./svg.ts";

export interface RadarSeries {
  readonly id: string;
  readonly label: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
  /** Drawn but hidden until chosen in the report's region selector. */
  readonly hidden?: boolean;
}

const BREAK_AFTER = /[、，：:；]/u;

/** A dimension name in lines of at most `max` characters, broken after punctuation where there is some. */
export function wrapLabel(text: string, max = 9): string[] {
  const chars = [...text];
  const lines: string[] = [];
  let i = 0;
  while (i < chars.length) {
    let end = Math.min(chars.length, i + max);
    if (end < chars.length) {
      for (let k = end - 1; k > i + max / 2; k--)
        if (BREAK_AFTER.test(chars[k]!)) {
          end = k + 1;
          break;
        }
    }
    lines.push(chars.slice(i, end).join(""));
    i = end;
  }
  return lines;
}

export function radarSvg(
  axes: readonly { code: string; label: string }[],
  series: readonly RadarSeries[],
  width = 820,
  height = 540,
): string {
  const c = width / 2;
  const cy = height / 2;
  const r = height / 2 - 85;
  const angle = (i: number) => -Math.PI / 2 + (2 * Math.PI * i) / axes.length;
  const point = (i: number, v: number) => [c + r * v * Math.cos(angle(i)), cy + r * v * Math.sin(angle(i))] as const;
  const ring = (g: number) => axes.map((_, i) => point(i, g).map(f1).join(",")).join(" ");
  const grid = [0.25, 0.5, 0.75, 1]
    .map((g) =>
      empty("polygon", { points: ring(g), fill: "none", stroke: "#ccc", "stroke-width": g === 1 ? 1.2 : 0.6 }),
    )
    .join("");
  const spokes = axes
    .map((a, i) => {
      const [x, y] = point(i, 1);
      const [lx, ly0] = point(i, 1.1);
      // The top label sits above the axis end, clear of the 100% tick.
      const ly = Math.abs(lx - c) < 5 && ly0 < cy ? ly0 - 12 : ly0;
      const unscored = series.filter((s) => !s.hidden).every((s) => s.values[i] === null);
      const anchor = Math.abs(lx - c) < 5 ? "middle" : lx > c ? "start" : "end";
      const lines = wrapLabel(a.label);
      // Labels above the centre grow upwards, so a wrapped name never runs into the chart.
      const top = ly < cy ? ly - 13 * (lines.length - 1 + (unscored ? 1 : 0)) : ly;
      const tspans = lines
        .map((l, k) => el("tspan", { x: f1(lx), dy: k === 0 ? 0 : 13 }, `${k === 0 ? `${esc(a.code)} ` : ""}${esc(l)}`))
        .join("");
      const mark = unscored ? el("tspan", { x: f1(lx), dy: 13 }, "(未计分 not scored)") : "";
      const textAttrs = { x: f1(lx), y: f1(top), "text-anchor": anchor, class: `axis${unscored ? " unscored" : ""}` };
      return (
        empty("line", { x1: f1(c), y1: f1(cy), x2: f1(x), y2: f1(y), stroke: "#ddd" }) +
        el("text", textAttrs, tspans, mark)
      );
    })
    .join("");
  const polys = series
    .map((s) => {
      const pts = s.values
        .map((v, i) =>
          point(i, v ?? 0)
            .map(f1)
            .join(","),
        )
        .join(" ");
      const dot = (v: number, i: number) =>
        el(
          "circle",
          { cx: f1(point(i, v)[0]), cy: f1(point(i, v)[1]), r: 3, fill: s.color },
          title(`${esc(s.label)} ${esc(axes[i]!.code)}: ${pct(v)}`),
        );
      const dots = s.values.map((v, i) => (v === null ? "" : dot(v, i))).join("");
      const shape = { points: pts, fill: s.color, "fill-opacity": "0.15", stroke: s.color, "stroke-width": 2 };
      const group = { class: "series", "data-series": esc(s.id), style: s.hidden ? "display:none" : undefined };
      return el("g", group, empty("polygon", shape), dots);
    })
    .join("");
  const labels = [0.5, 1]
    .map((g) => el("text", { x: f1(c + 4), y: f1(cy - r * g + 12), class: "tick" }, `${g * 100}%`))
    .join("");
  return svgImage(width, height, "radar of the seven dimensions 七个维度雷达图", grid, spokes, labels, polys);
}
