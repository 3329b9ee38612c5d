import { describe, expect, it } from "vitest";
import { trendSvg } from "../../report/html/trend-svg.ts";
import type { Trend, TrendPoint } from "../../evaluate/index.ts";
import { fractionalYear } from "../../evaluate/score/fractional-year.ts";

const point = (period: string, value: number): TrendPoint => ({
  period,
  frequency: period.includes("-") ? "monthly" : period.includes("Q") ? "quarterly" : "annual",
  x: fractionalYear(period),
  value,
  derived: false,
});

const trend = (over: Partial<Trend>): Trend => ({
  code: "x",
  nameZh: "x",
  nameEn: "x",
  unit: "%",
  op: ">=",
  target: null,
  baseline: null,
  points: [],
  ...over,
});

const tickLabels = (svg: string): string[] =>
  [...svg.matchAll(/<text [^>]*text-anchor="end" class="tick">([^<]+)<\/text>/g)].map((m) => m[1]!);

describe("the report's trend charts", () => {
  it("labels the y-axis ticks at the precision that tells them apart", () => {
    // A death rate between 0.011 and 0.0132: ticks 0.0105, 0.011, … used to print 0.01 and 0.01.
    const svg = trendSvg(
      trend({ op: "trend_down", points: [point("2023", 0.0115), point("2024", 0.011), point("2025", 0.0132)] }),
    );
    const labels = tickLabels(svg);
    expect(labels.length).toBeGreaterThan(1);
    expect(new Set(labels).size).toBe(labels.length);
    const wide = tickLabels(trend2(0.012, 0.028));
    expect(new Set(wide).size).toBe(wide.length);
  });

  it("draws monthly and annual observations of one indicator as separate lines", () => {
    const svg = trendSvg(
      trend({
        op: "<=",
        target: 5.5,
        baseline: 5.2,
        points: [
          point("2023", 5),
          point("2024", 4.9),
          point("2024-10", 5.3),
          point("2024-11", 4.6),
          point("2024-12", 5.1),
        ],
      }),
    );
    expect(svg.match(/<polyline class="series-annual"/g)).toHaveLength(1);
    expect(svg.match(/<polyline class="series-monthly"/g)).toHaveLength(1);
    const monthly = /<polyline class="series-monthly" points="([^"]+)"/.exec(svg)![1]!.split(" ");
    expect(monthly).toHaveLength(3);
  });

  it("does not slope the path down to a target the 2020 baseline had already passed", () => {
    // Urbanisation 83% in 2020 against a target of >= 75%: the target is a level to hold.
    const svg = trendSvg(trend({ target: 75, baseline: 83, points: [point("2020", 83), point("2024", 86.4)] }));
    expect(svg).not.toContain('class="path"');
    const held = /<line x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="([\d.]+)"[^>]*class="held"/.exec(svg)!;
    expect(held[1]).toBe(held[2]);
    expect(svg).toContain("target already met in 2020 基期已达标");
    const rising = trendSvg(trend({ target: 75, baseline: 72, points: [point("2020", 72), point("2024", 74)] }));
    expect(rising).toContain('class="path"');
  });
});

function trend2(lo: number, hi: number): string {
  return trendSvg(
    trend({ op: "trend_up", points: [point("2023", lo), point("2024", (lo + hi) / 2), point("2025", hi)] }),
  );
}
