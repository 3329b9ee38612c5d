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

/** Digits, or digits, a point and digits, 15 digits at most: no sign (so no -0), nothing a double rounds. */
export const PLAIN_DECIMAL = /^(?:\d{1,15}|(?=[\d.]{3,16}$)\d+\.\d+)$/;

const NUMBER_WITH_SUFFIX = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(.*)$/i;

/**
 * Reads a cell: thousands separators, full-width digits, a trailing unit like `%` or `万元`, and missing markers.
 * A comma is only a thousands separator before exactly three digits: "1,5" (a decimal comma?) and "(12)"
 * (accounting negative? footnote?) are ambiguous and rejected rather than guessed.
 */
export function parseCell(raw: string): CellValue {
  // Most cells are plain decimals of at most 15 digits: exact as doubles, with nothing to fold, strip or check.
  if (PLAIN_DECIMAL.test(raw)) return { kind: "number", value: Number(raw), suffix: "" };
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
  const written = m[1]!;
  const value = Number(written);
  if (!Number.isFinite(value)) return { kind: "invalid", text: raw, reason: `"${raw}" is out of range` };
  const lost = precisionLost(written, value);
  if (lost) return { kind: "invalid", text: raw, reason: `"${raw}" ${lost}` };
  // "-0" and "-0.0" are zero: a negative zero would be stored, and shown, as -0.0.
  return { kind: "number", value: value === 0 ? 0 : value, suffix };
}

/** The significant digits of a decimal numeral's mantissa: no sign, point, or leading and trailing zeros. */
function significantDigits(mantissa: string): string {
  return mantissa.replace(/^[+-]/, "").replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
}

/**
 * Why the double nearest to `written` is not the number written, or undefined when it is exact enough: up to 15
 * significant digits always survive; beyond that (an integer past 2^53 = 9007199254740992, say) the digits must come
 * back unchanged. A nonzero number too small for a double would become 0.
 */
function precisionLost(written: string, value: number): string | undefined {
  const digits = significantDigits(written.split(/e/i)[0]!);
  if (value === 0) return digits === "" ? undefined : "is too small to be stored (it would become 0)";
  if (digits.length <= 15) return undefined;
  const stored = significantDigits(Math.abs(value).toExponential().split("e")[0]!);
  if (stored === digits) return undefined;
  return (
    `has ${digits.length} significant digits and cannot be stored exactly (as ${value}; ` +
    `integers are exact up to 2^53 = 9007199254740992)`
  );
}
