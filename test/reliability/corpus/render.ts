import ExcelJS from "exceljs";

export type Row = Record<string, string | number>;

const csvCell = (v: string | number, delimiter: string) => {
  const s = String(v);
  return s.includes('"') || s.includes(delimiter) || /[\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** RFC 4180 text: a header line, then one line per row in the header's order. */
export function toCsv(header: readonly string[], rows: readonly Row[], delimiter = ","): string {
  const lines = [
    header.join(delimiter),
    ...rows.map((r) => header.map((h) => csvCell(r[h] ?? "", delimiter)).join(delimiter)),
  ];
  return `${lines.join("\n")}\n`;
}

export const toNdjson = (rows: readonly unknown[]): string => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;

/** A JSON document with the rows as the array at `data` (the corpus's JSON specs read `dataPath: data`). */
export const toJson = (rows: readonly unknown[]): string => JSON.stringify({ status: "ok", data: rows }, null, 1);

/** A one-sheet workbook with a header row; numbers stay numbers, text stays text. */
export async function toXlsx(
  header: readonly string[],
  rows: readonly Row[],
  sheets: { name: string; header?: readonly string[]; rows: readonly Row[] }[] = [],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const s of [{ name: "2024", header, rows }, ...sheets]) {
    const ws = wb.addWorksheet(s.name);
    const h = s.header ?? header;
    ws.addRow([...h]);
    for (const r of s.rows) ws.addRow(h.map((c) => r[c] ?? null));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
