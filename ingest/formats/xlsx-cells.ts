/** The text of one spreadsheet cell as a RawRecord field, or why its value is unknown. */
export interface CellText {
  text: string;
  problem?: string;
}

/** Excel shows 15 significant digits; beyond them a stored double is binary noise (52397.000000000007). */
function numberText(n: number): string {
  return Number.isFinite(n) ? String(Number(n.toPrecision(15))) : String(n);
}

/** Excel dates carry no zone: print the wall-clock value, as a date when there is no time of day. */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return "";
  const iso = d.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 19);
}

/** A number format that shows a date or time (y, m, d, h, s outside quotes, brackets and escapes). */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  const bare = format.replace(/"[^"]*"|\[[^\]]*\]|\\./g, "");
  return /[ymdhs]/i.test(bare) && !/^(general|@)$/i.test(bare.trim());
}

/** Days since 1899-12-30 (Excel's 1900 system) to a Date. */
function excelDate(serial: number): Date {
  return new Date(Math.round((serial - 25569) * 86_400_000));
}

/**
 * Turns an exceljs cell value into text: numbers as Excel shows them, text as stored (numbers stored as text
 * stay as written), rich text joined, formulas by their cached result, dates as ISO dates, errors as `#N/A`.
 */
export function cellText(value: unknown, numFmt?: string): CellText {
  if (value === null || value === undefined) return { text: "" };
  if (typeof value === "string") return { text: value };
  if (typeof value === "number") return { text: numberText(value) };
  if (typeof value === "boolean") return { text: value ? "TRUE" : "FALSE" };
  if (value instanceof Date) return { text: dateText(value) };
  if (typeof value !== "object") return { text: String(value) };
  const v = value as {
    richText?: { text?: string }[];
    formula?: string;
    sharedFormula?: string;
    result?: unknown;
    error?: string;
    text?: unknown;
  };
  if (Array.isArray(v.richText)) return { text: v.richText.map((r) => r.text ?? "").join("") };
  if (v.formula !== undefined || v.sharedFormula !== undefined) {
    if (v.result === undefined || (typeof v.result === "number" && Number.isNaN(v.result)))
      return { text: "", problem: `formula ${v.formula ?? v.sharedFormula ?? ""} has no saved result` };
    if (typeof v.result === "number" && isDateFormat(numFmt)) return { text: dateText(excelDate(v.result)) };
    return cellText(v.result, numFmt);
  }
  if (typeof v.error === "string") return { text: v.error };
  if (v.text !== undefined) return cellText(v.text, numFmt);
  return { text: JSON.stringify(value) };
}

/** Header text: a line break inside a header cell is layout, not part of the name. */
export function headerText(value: unknown, numFmt?: string): string {
  return cellText(value, numFmt)
    .text.replace(/\s*[\r\n]+\s*/g, "")
    .trim();
}
