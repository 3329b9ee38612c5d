import ExcelJS from "exceljs";

/** A sheet as rows of cell values, with merged ranges like "B2:C2". */
export interface SheetFixture {
  name: string;
  rows: ExcelJS.CellValue[][];
  merges?: string[];
}

/** Writes a real XLSX workbook (zip + sheet XML, as Excel saves it) to a buffer. */
export async function workbook(sheets: SheetFixture[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    for (const row of s.rows) ws.addRow(row);
    for (const m of s.merges ?? []) ws.mergeCells(m);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * 教育厅-style table: a title row, then a two-row header whose group cells (城镇, 农村) are merged across their
 * leaf columns and whose 地区 cell is merged down over both header rows.
 */
export function incomeSheet(name: string, data: ExcelJS.CellValue[][]): SheetFixture {
  return {
    name,
    rows: [
      ["浙江省城乡居民收入（样例数据）"],
      ["地区", "城镇", null, "农村", null],
      [null, "人均可支配收入", "人均消费支出", "人均可支配收入", "人均消费支出"],
      ...data,
    ],
    merges: ["A1:E1", "A2:A3", "B2:C2", "D2:E2"],
  };
}
