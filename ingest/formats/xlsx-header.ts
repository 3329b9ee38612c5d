import type { MergeRange } from "./xlsx-merges.ts";

/** Header cells by row number, then column number. */
export type HeaderGrid = Map<number, Map<number, string>>;

/**
 * Column names from one or more header rows, as Chinese statistical tables lay them out: a merged cell's value
 * applies to every cell it covers, and each column's name is its header cells from top to bottom joined with
 * `/`, a repeat (a label merged down over several rows) counted once. `城镇` merged over two columns above
 * `人均可支配收入` and `人均消费支出` names them `城镇/人均可支配收入` and `城镇/人均消费支出`. A name that
 * occurs twice gets `#2`, `#3`. Returns names by 1-based column; "" where a column has no header.
 */
export function composeHeader(grid: HeaderGrid, first: number, last: number, merges: readonly MergeRange[]): string[] {
  const filled: HeaderGrid = new Map([...grid].map(([r, cells]) => [r, new Map(cells)]));
  let width = 0;
  for (const cells of grid.values()) for (const c of cells.keys()) width = Math.max(width, c);
  for (const m of merges) {
    if (m.top < first || m.top > last) continue;
    const value = grid.get(m.top)?.get(m.left);
    if (!value) continue;
    width = Math.max(width, m.right);
    for (let r = m.top; r <= Math.min(m.bottom, last); r++) {
      const row = filled.get(r) ?? new Map<number, string>();
      filled.set(r, row);
      for (let c = m.left; c <= m.right; c++) if (!row.get(c)) row.set(c, value);
    }
  }
  const names: string[] = [""];
  const count = new Map<string, number>();
  for (let c = 1; c <= width; c++) {
    const parts: string[] = [];
    for (let r = first; r <= last; r++) {
      const text = filled.get(r)?.get(c);
      if (text && parts.at(-1) !== text) parts.push(text);
    }
    const name = parts.join("/");
    const n = name ? (count.get(name) ?? 0) + 1 : 0;
    if (name) count.set(name, n);
    names.push(n > 1 ? `${name}#${n}` : name);
  }
  return names;
}

/** Carries merged data cells down and across: the value of a merge's top-left cell fills the cells it covers. */
export function createMergeFiller(merges: readonly MergeRange[], firstDataRow: number) {
  const starting = new Map<number, MergeRange[]>();
  for (const m of merges) if (m.top >= firstDataRow) starting.set(m.top, [...(starting.get(m.top) ?? []), m]);
  let active: { range: MergeRange; text: string }[] = [];
  return (rowNumber: number, cells: Map<number, string>): void => {
    active = active.filter((a) => a.range.bottom >= rowNumber);
    for (const range of starting.get(rowNumber) ?? []) active.push({ range, text: cells.get(range.left) ?? "" });
    for (const { range, text } of active) {
      if (!text || range.top > rowNumber) continue;
      for (let c = range.left; c <= range.right; c++) if (!cells.get(c)) cells.set(c, text);
    }
  };
}
