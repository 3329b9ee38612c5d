/** What a department's cell says: a number (maybe with a unit suffix), a missing-value marker, or something unreadable. */
export type CellValue =
  | { kind: "number"; value: number; suffix: string }
  | { kind: "missing"; marker: string }
  | { kind: "invalid"; text: string };

/** Markers departments use for "no data": never read as zero. */
const MISSING = new Set(["", "—", "——", "-", "--", "－", "…", "……", "...", "..", "/", "／", "na", "n/a", "null", "none", "无", "暂无", "x", "×", "*"]);

/** Full-width digits and signs (０-９, ．, －, ＋, ％, ，) to their ASCII forms. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, " ");
}

const NUMBER_WITH_SUFFIX = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(.*)$/i;

/** Reads a cell: thousands separators, full-width digits, a trailing unit like `%` or `万元`, and missing markers. */
export function parseCell(raw: string): CellValue {
  const text = toHalfWidth(raw).trim();
  if (MISSING.has(text.toLowerCase())) return { kind: "missing", marker: text };
  // "1,234.5" and "1 234.5": separators only between digit groups of three.
  const compact = text.replace(/(\d)[,\s](?=\d{3}(?:\D|$))/g, "$1");
  const m = NUMBER_WITH_SUFFIX.exec(compact);
  if (!m) return { kind: "invalid", text: raw };
  const value = Number(m[1]);
  if (!Number.isFinite(value)) return { kind: "invalid", text: raw };
  return { kind: "number", value, suffix: (m[2] ?? "").trim() };
}
