/** What a department's cell says: a number (maybe with a unit suffix), a missing-value marker, or something unreadable. */
export type CellValue =
  | { kind: "number"; value: number; suffix: string }
  | { kind: "missing"; marker: string }
  | { kind: "invalid"; text: string; reason: string };

/** Markers departments use for "no data" (after width folding): never read as zero. */
const MISSING = new Set([
  "",
  "—",
  "——",
  "–",
  "-",
  "--",
  "…",
  "……",
  "...",
  "..",
  "/",
  "na",
  "n/a",
  "null",
  "none",
  "无",
  "暂无",
  "x",
  "×",
  "*",
]);

/** Full-width digits and signs (０-９, ．, －, ＋, ％, ，) and the minus sign U+2212 to their ASCII forms. */
export function toHalfWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ")
    .replace(/\u2212/g, "-");
}

const NUMBER_WITH_SUFFIX = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(.*)$/i;

/**
 * Reads a cell: thousands separators, full-width digits, a trailing unit like `%` or `万元`, and missing markers.
 * A comma is only a thousands separator before exactly three digits: "1,5" (a decimal comma?) and "(12)"
 * (accounting negative? footnote?) are ambiguous and rejected rather than guessed.
 */
export function parseCell(raw: string): CellValue {
  const text = toHalfWidth(raw).trim();
  if (MISSING.has(text.toLowerCase())) return { kind: "missing", marker: text };
  // "1,234.5" and "1 234.5": separators only between digit groups of three.
  const compact = text.replace(/(\d)[,\s](?=\d{3}(?:\D|$))/g, "$1");
  const m = NUMBER_WITH_SUFFIX.exec(compact);
  if (!m) return { kind: "invalid", text: raw, reason: `"${raw}" is not a number` };
  const suffix = (m[2] ?? "").trim();
  if (/^[\d.,]/.test(suffix))
    return {
      kind: "invalid",
      text: raw,
      reason: `"${raw}" is not a number: separators must group three digits (1,234.5); decimal commas are not read`,
    };
  const value = Number(m[1]);
  if (!Number.isFinite(value)) return { kind: "invalid", text: raw, reason: `"${raw}" is out of range` };
  return { kind: "number", value, suffix };
}
