import type { RealisationRow } from "../evaluate/index.ts";
import { formatNumber, indicatorDecimals, withUnit } from "../report/index.ts";

/** Display width of a string: CJK characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\uFFFF]/.test(ch) && !/[\uFF61-\uFF9F]/.test(ch) ? 2 : 1;
  return w;
}
const pad = (s: string, n: number, right = false) =>
  right ? " ".repeat(Math.max(0, n - width(s))) + s : s + " ".repeat(Math.max(0, n - width(s)));

const decimalsOfTarget = (t: number): number => indicatorDecimals([t]);

/** Regions as rows, periods as columns, each cell "value (realisation%)". */
export function formatRealisationTable(rows: RealisationRow[], title: string): string {
  if (rows.length === 0) return `${title}\n(no observations in the warehouse)\n`;
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  const regions = [...new Map(rows.map((r) => [r.regionCode, r.regionName] as const))];
  const cell = new Map(rows.map((r) => [`${r.regionCode}|${r.period}`, r] as const));
  // Each indicator at the precision its values are published with: an urban-rural ratio of 1.84 stays 1.84.
  const decimals = indicatorDecimals([...rows.map((r) => r.value), rows[0]!.target]);
  const fmt = (r: RealisationRow | undefined) =>
    r
      ? `${formatNumber(r.value, decimals)} (${r.realisation === null ? "n/a" : `${(r.realisation * 100).toFixed(1)}%`})`
      : "—";
  const header = ["地区 region", "code", ...periods];
  const body = regions.map(([code, name]) => [name, code, ...periods.map((p) => fmt(cell.get(`${code}|${p}`)))]);
  const widths = header.map((h, i) => Math.max(width(h), ...body.map((b) => width(b[i]!))));
  const line = (cols: string[]) => cols.map((c, i) => pad(c, widths[i]!, i >= 2)).join("  ");
  const target = rows[0]!;
  const targetValue = target.target === null ? "—" : formatNumber(target.target, decimalsOfTarget(target.target));
  return [
    title,
    `target ${target.op} ${withUnit(targetValue, target.unit)} · cell: value (realisation degree 实现度)`,
    line(header),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...body.map(line),
    "",
  ].join("\n");
}
