import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readRows, type ParsedRow } from "../../ingest/index.ts";
import { readXlsx } from "../../ingest/formats/xlsx.ts";
import { testSpec } from "./helpers/specs.ts";
import { incomeSheet, workbook } from "./helpers/workbooks.ts";
import { workbookEntries, zip } from "../reliability/corpus/zip.ts";

const wideIncome = {
  kind: "wide",
  region: "地区",
  period: "年份",
  columns: {
    "城镇/人均可支配收入": { indicator: "disposable_income_per_capita_urban" },
    "农村/人均可支配收入": { indicator: "disposable_income_per_capita_rural" },
  },
};
const spec = (format: Record<string, unknown> = {}) =>
  testSpec({
    format: { kind: "xlsx", skipRows: 1, headerRows: 2, sheetColumn: "年份", ...format },
    layout: wideIncome,
  });

async function read(bytes: Buffer, s = spec(), asStream = false): Promise<ParsedRow[]> {
  const out: ParsedRow[] = [];
  const input = asStream ? Readable.from([bytes]) : () => Readable.from([bytes]);
  for await (const row of readRows(input, s)) out.push(row);
  return out;
}

describe("reading an XLSX feed", () => {
  it("names columns by merged group headers joined with / and reads every sheet, with the sheet name as a field", async () => {
    const bytes = await workbook([
      incomeSheet("2023", [["杭州市", 80_000, 50_000, 45_000, 30_000]]),
      incomeSheet("2024", [
        ["杭州市", 88_584, 52_000, 48_000, 31_000],
        ["宁波市", 85_000, 51_000, 47_000, 30_500],
      ]),
    ]);
    const rows = await read(bytes);
    expect(rows).toEqual([
      {
        ok: true,
        position: { sheet: "2023", row: 4 },
        fields: {
          地区: "杭州市",
          "城镇/人均可支配收入": "80000",
          "城镇/人均消费支出": "50000",
          "农村/人均可支配收入": "45000",
          "农村/人均消费支出": "30000",
          年份: "2023",
        },
      },
      expect.objectContaining({ ok: true, position: { sheet: "2024", row: 4 } }),
      expect.objectContaining({
        ok: true,
        position: { sheet: "2024", row: 5 },
        fields: expect.objectContaining({ 地区: "宁波市", "城镇/人均可支配收入": "85000" }),
      }),
    ]);
  });

  it("reads a six-sheet workbook written by exceljs itself, whose sheets come before xl/workbook.xml (exceljs #962)", async () => {
    const years = ["2020", "2021", "2022", "2023", "2024", "2025"];
    const bytes = await workbook(years.map((y) => incomeSheet(y, [["杭州市", 1, 2, 3, 4]])));
    const rows = await read(bytes);
    expect(rows.map((r) => (r.ok ? r.fields["年份"] : r.reason))).toEqual(years);
    // It still joins the merged group headers and keeps sheet and row positions.
    expect(rows[5]).toEqual({
      ok: true,
      position: { sheet: "2025", row: 4 },
      fields: expect.objectContaining({ 地区: "杭州市", "城镇/人均可支配收入": "1", "农村/人均消费支出": "4" }),
    });
  });

  it("reads every sheet of exceljs's own workbooks however the bytes arrive: one at a time, in " +
    "odd chunks, read by slow consumers", async () => {
    // exceljs's own unzip loop lost entries when the archive came in many small chunks while it paused (exceljs #3064):
    // with one-byte chunks every sheet lost its shared strings; in CI under load a corpus workbook lost all its rows.
    const years = ["2020", "2021", "2022", "2023", "2024", "2025"];
    const bytes = await workbook(
      years.map((y) =>
        incomeSheet(
          y,
          Array.from({ length: 200 }, (_, i) => [`县${i}`, i, 2, 3, 4]),
        ),
      ),
    );
    function* pieces(size: number) {
      for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
    }
    const once = async (k: number) => {
      const rows: ParsedRow[] = [];
      for await (const row of readRows(() => Readable.from(pieces(1 + (k % 5) * 700)), spec())) {
        rows.push(row);
        if (rows.length % 50 === k) await new Promise((r) => setTimeout(r, 2));
      }
      return rows;
    };
    const runs = await Promise.all(Array.from({ length: 5 }, (_, k) => once(k)));
    const whole = await read(bytes);
    expect(whole).toHaveLength(1200);
    expect(whole.every((r) => r.ok)).toBe(true);
    for (const rows of runs) expect(rows).toEqual(whole);
  }, 60_000);

  it("decodes Chinese text that spans two inflated chunks of a sheet (no U+FFFD)", async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `浙江省杭州市上城区第${i}号统计单元`);
    const cells = names.map(
      (n, i) =>
        `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>${n}</t></is></c><c r="B${i + 2}"><v>2024</v></c></row>`,
    );
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?><worksheet ` +
      `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row ` +
      `r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c><c r="B1" t="inlineStr"><is><t>年份</t></is></c></row>` +
      `${cells.join("")}</sheetData></worksheet>`;
    const options = {
      sheets: undefined,
      skipRows: 0,
      headerRows: 1,
      sheetColumn: undefined,
      maxRecordBytes: 65536,
      needs: { all: ["地区", "年份"], anyOf: [] },
      used: new Set(["地区", "年份"]),
    };
    const rows: ParsedRow[] = [];
    for await (const row of readXlsx(() => Readable.from([zip(workbookEntries(Buffer.from(xml)))]), options))
      rows.push(row);
    expect(Buffer.byteLength(xml)).toBeGreaterThan(4 * 64 * 1024); // several inflated chunks
    expect(rows.map((r) => (r.ok ? r.fields["地区"] : r.reason))).toEqual(names);
  });

  it("reads a workbook given as a one-shot stream too (spooled to disk for its second pass)", async () => {
    const bytes = await workbook([incomeSheet("2024", [["杭州市", 1, 2, 3, 4]])]);
    expect(await read(bytes, spec(), true)).toEqual(await read(bytes));
  });

  it("keeps numbers stored as text as written, uses cached formula results, and prints dates and rich text as text", async () => {
    const bytes = await workbook([
      incomeSheet("2024", [
        [
          "杭州市",
          "88,584",
          { formula: "B4/2", result: 44292 },
          new Date(Date.UTC(2024, 0, 20)),
          { richText: [{ text: "4.8" }, { text: "万", font: { bold: true } }] },
        ],
      ]),
    ]);
    const [row] = await read(bytes);
    expect(row).toMatchObject({
      ok: true,
      fields: {
        "城镇/人均可支配收入": "88,584",
        "城镇/人均消费支出": "44292",
        "农村/人均可支配收入": "2024-01-20",
        "农村/人均消费支出": "4.8万",
      },
    });
  });

  it("prints a stored double as Excel shows it, without binary noise", async () => {
    const [row] = await read(await workbook([incomeSheet("2024", [["杭州市", 52397.000000000007, 0.1 + 0.2, 1, 2]])]));
    expect(row).toMatchObject({ fields: { "城镇/人均可支配收入": "52397", "城镇/人均消费支出": "0.3" } });
  });

  it("fails a row whose used cell is a formula without a saved result, and goes on", async () => {
    const bytes = await workbook([
      incomeSheet("2024", [
        ["杭州市", { formula: "1+1" }, 1, 2, 3],
        ["宁波市", 1, 2, 3, 4],
      ]),
    ]);
    const rows = await read(bytes);
    expect(rows[0]).toMatchObject({ ok: false, code: "formula_without_value", position: { sheet: "2024", row: 4 } });
    expect(rows[1]).toMatchObject({ ok: true, position: { sheet: "2024", row: 5 } });
  });

  it("carries a region merged down over several rows to each of them", async () => {
    const sheet = incomeSheet("2024", [
      ["杭州市", 1, 2, 3, 4],
      [null, 5, 6, 7, 8],
    ]);
    sheet.merges!.push("A4:A5");
    const rows = await read(await workbook([sheet]));
    expect(rows.map((r) => r.ok && r.fields["地区"])).toEqual(["杭州市", "杭州市"]);
  });

  it("reads only the listed sheets and dead-letters a listed sheet that is missing", async () => {
    const bytes = await workbook([
      incomeSheet("2023", [["杭州市", 1, 2, 3, 4]]),
      incomeSheet("2024", [["杭州市", 5, 6, 7, 8]]),
    ]);
    const rows = await read(bytes, spec({ sheets: ["2024", "2025"] }));
    expect(rows).toEqual([
      expect.objectContaining({ ok: true, position: { sheet: "2024", row: 4 } }),
      expect.objectContaining({ ok: false, code: "missing_sheet", position: { sheet: "2025" } }),
    ]);
  });

  it(
    "turns a sheet whose header does not match the layout into one dead-letter row naming the " +
      "sheet; other sheets still flow",
    async () => {
      const bytes = await workbook([
        { name: "说明", rows: [["填报说明"], ["本表为样例数据"], ["单位：元"], ["杭州市", "x"]] },
        incomeSheet("2024", [["杭州市", 1, 2, 3, 4]]),
      ]);
      const rows = await read(bytes);
      expect(rows[0]).toMatchObject({ ok: false, code: "header_mismatch", position: { sheet: "说明", row: 3 } });
      expect((rows[0] as { reason: string }).reason).toMatch(/sheet 说明: .*missing columns 地区/);
      expect(rows.slice(1)).toEqual([expect.objectContaining({ ok: true, position: { sheet: "2024", row: 4 } })]);
    },
  );

  it("reports an empty sheet as having no header", async () => {
    const rows = await read(await workbook([{ name: "空表", rows: [] }]));
    expect(rows).toEqual([
      expect.objectContaining({ ok: false, code: "header_mismatch", position: { sheet: "空表", row: 3 } }),
    ]);
  });

  it("rejects a row longer than the record limit", async () => {
    const rows = await read(
      await workbook([
        incomeSheet("2024", [
          ["杭州市", "9".repeat(300), 1, 2, 3],
          ["宁波市", 1, 2, 3, 4],
        ]),
      ]),
      testSpec({
        format: { kind: "xlsx", skipRows: 1, headerRows: 2, sheetColumn: "年份" },
        layout: wideIncome,
        limits: { maxRecordBytes: 200 },
      }),
    );
    expect(rows.map((r) => (r.ok ? "ok" : r.code))).toEqual(["oversize_record", "ok"]);
  });

  it("turns a file that is not a zip, an empty file and a zip that is not a workbook into one failed row each", async () => {
    expect(await read(Buffer.from("地区,年份\n杭州市,2024\n"))).toEqual([
      expect.objectContaining({ ok: false, code: "not_xlsx", position: {} }),
    ]);
    expect(await read(Buffer.alloc(0))).toEqual([expect.objectContaining({ ok: false, code: "empty_file" })]);
    const docx = Buffer.from("504b0304140000000000000000000000000000000000000000000000000000000000", "hex");
    expect((await read(docx)).every((r) => !r.ok)).toBe(true);
  });

  it("refuses a workbook that inflates far beyond its size (a zip bomb) before reading any row", async () => {
    const bytes = await workbook([
      incomeSheet(
        "2024",
        Array.from({ length: 2000 }, () => ["杭州市", 1, 1, 1, 1]),
      ),
    ]);
    const options = {
      sheets: undefined,
      skipRows: 1,
      headerRows: 2,
      sheetColumn: "年份",
      maxRecordBytes: 65536,
      needs: { all: ["地区"], anyOf: [] },
      used: new Set<string>(),
    };
    const read = async (inflateLimit: { ratio: number; minBytes: number }) => {
      const out: ParsedRow[] = [];
      for await (const row of readXlsx(() => Readable.from([bytes]), { ...options, inflateLimit })) out.push(row);
      return out;
    };
    expect(await read({ ratio: 3, minBytes: 10_000 })).toEqual([
      expect.objectContaining({ ok: false, code: "refused_workbook", reason: expect.stringMatching(/zip bomb/) }),
    ]);
    expect((await read({ ratio: 1000, minBytes: 10_000 })).filter((r) => r.ok)).toHaveLength(2000);
  });

  it("turns a truncated workbook into one failed row, never a crash", async () => {
    const bytes = await workbook([
      incomeSheet(
        "2024",
        Array.from({ length: 50 }, (_, i) => [`县${i}`, i, i, i, i]),
      ),
    ]);
    for (const cut of [0.3, 0.6, 0.9]) {
      const rows = await read(bytes.subarray(0, Math.floor(bytes.length * cut)));
      const failed = rows.filter((r) => !r.ok);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ code: expect.stringMatching(/unreadable_workbook|not_xlsx/) });
    }
  });
});
