// Small numeric helpers shared by the series builders: the years, rounding, interpolation.

export const YEARS = [2020, 2021, 2022, 2023, 2024, 2025] as const;
export const FIRST_YEAR = 2020;
export const LAST_YEAR = 2025;

/** region code → year → value */
export type RegionSeries = Map<string, Map<number, number>>;

/** Rounds to `decimals` places; negative decimals round to tens, hundreds... */
export function round(value: number, decimals: number): number {
  if (decimals < 0) {
    const step = 10 ** -decimals;
    return Math.round(value / step) * step;
  }
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

export function clamp(value: number, min = -Infinity, max = Infinity): number {
  return Math.min(max, Math.max(min, value));
}

/** Piecewise-linear interpolation through (year, value) anchors; flat beyond the ends. */
export function interpolate(anchors: readonly (readonly [number, number])[], year: number): number {
  const sorted = [...anchors].sort((a, b) => a[0] - b[0]);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last) throw new Error("interpolate needs at least one anchor");
  if (year <= first[0]) return first[1];
  if (year >= last[0]) return last[1];
  for (let i = 1; i < sorted.length; i++) {
    const [y1, v1] = sorted[i]!;
    const [y0, v0] = sorted[i - 1]!;
    if (year <= y1) return v0 + ((v1 - v0) * (year - y0)) / (y1 - y0);
  }
  return last[1];
}

/** Progress in [0, 1] from 2020 to 2025, bent early (concave) or late (convex). */
export function progress(year: number, shape: "linear" | "early" | "late" = "linear"): number {
  const t = clamp((year - FIRST_YEAR) / (LAST_YEAR - FIRST_YEAR), 0, 1);
  if (shape === "early") return 1 - (1 - t) ** 1.6;
  if (shape === "late") return t ** 1.6;
  return t;
}

export function getValue(series: RegionSeries, region: string, year: number): number {
  const v = series.get(region)?.get(year);
  if (v === undefined) throw new Error(`no value for ${region} in ${year}`);
  return v;
}

export function setValue(series: RegionSeries, region: string, year: number, value: number): void {
  let byYear = series.get(region);
  if (!byYear) series.set(region, (byYear = new Map()));
  byYear.set(year, value);
}

/** Integer shares of `total` proportional to `weights`, summing exactly to `total` (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const floors = exact.map(Math.floor);
  let left = total - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left--;
  }
  return floors;
}

/** The value, or undefined where the series has none (a county in a city-level series). */
export function maybeValue(series: RegionSeries | undefined, region: string, year: number): number | undefined {
  return series?.get(region)?.get(year);
}
