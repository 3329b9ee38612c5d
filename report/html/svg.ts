// Small helpers for hand-drawn inline SVG: escaping, scales and number formats.
export const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A linear map from [d0, d1] to [r0, r1]; a zero-width domain maps to the middle of the range. */
export function scale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  return d1 === d0 ? () => (r0 + r1) / 2 : (x) => r0 + ((x - d0) / (d1 - d0)) * (r1 - r0);
}

/** Two decimals at most; thousands separated, like 75,000 or 1.55. */
export function num(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return x.toLocaleString("en-US", { maximumFractionDigits: Math.abs(x) >= 1000 ? 0 : digits });
}

export const pct = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined ? "—" : `${(x * 100).toFixed(digits)}%`;

export const f1 = (x: number): string => x.toFixed(1);

/** Round, readable tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 4): number[] {
  if (hi === lo) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

export const PALETTE = [
  "#c0392b",
  "#2471a3",
  "#229954",
  "#b9770e",
  "#7d3c98",
  "#17a589",
  "#a04000",
  "#2e4053",
  "#d35400",
  "#1f618d",
  "#7b241c",
  "#196f3d",
] as const;
