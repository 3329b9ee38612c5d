// Plain-text tables that line up with Chinese text (CJK characters take two terminal columns).
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\uFFFF]/.test(ch) && !/[\uFF61-\uFF9F]/.test(ch) ? 2 : 1;
  return w;
}

export function padTo(s: string, n: number, right = false): string {
  const fill = " ".repeat(Math.max(0, n - displayWidth(s)));
  return right ? fill + s : s + fill;
}

/** Columns after the first `leftColumns` are right-aligned. */
export function textTable(header: readonly string[], body: readonly (readonly string[])[], leftColumns = 1): string[] {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...body.map((b) => displayWidth(b[i] ?? ""))));
  const line = (cols: readonly string[]) =>
    cols
      .map((c, i) => padTo(c, widths[i]!, i >= leftColumns))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)];
}

export const pct = (x: number | null, digits = 1): string => (x === null ? "—" : `${(x * 100).toFixed(digits)}%`);
export const fixed = (x: number | null, digits = 4): string => (x === null ? "—" : x.toFixed(digits));
