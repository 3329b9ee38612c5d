import { expect } from "vitest";
import { caseSpec, WIDE_HEADER, type Category, type CorpusCase, type Expected } from "./case.ts";
import { toXlsx } from "./render.ts";
import { WIDE } from "./text-cases.ts";
import { unzip, workbookEntries, zip } from "./zip.ts";

type Make = (id: string) => CorpusCase;
const book =
  (
    category: Category,
    name: string,
    bytes: Buffer | string,
    records: number,
    expect: Expected,
    format: Record<string, unknown> = {},
    overrides: Record<string, unknown> = {},
  ): Make =>
  (id) => ({
    id,
    category,
    name,
    spec: caseSpec(id, { kind: "xlsx", ...format }, overrides),
    files: [{ name: "data.xlsx", bytes }],
    records,
    expect,
  });
const ok = (loaded: number): Expected => ({ loaded, dead: 0, missing: 0, codes: [] });
const refused = (code: string): Expected => ({ loaded: 0, dead: 1, missing: 0, codes: [code] });
const some = (loaded: number, ...codes: string[]): Expected => ({ loaded, dead: codes.length, missing: 0, codes });

const MiB = 1024 ** 2;
const sheetOpen = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
);
const sheetClose = Buffer.from("</sheetData></worksheet>");
/** Sheet XML padded with whitespace to `bytes`: compresses about a thousand-fold. */
const paddedSheet = (bytes: number) => Buffer.concat([sheetOpen, Buffer.alloc(bytes, 0x20), sheetClose]);
/** The same workbook with `bytes` of whitespace after its last shared string: exceljs's reader would hold them all. */
const paddedStrings = (workbook: Buffer, bytes: number) =>
  zip(
    [...unzip(workbook)].map(([name, data]) => ({
      name,
      data:
        name === "xl/sharedStrings.xml"
          ? Buffer.concat([
              data.subarray(0, data.lastIndexOf("</sst>")),
              Buffer.alloc(bytes, 0x20),
              Buffer.from("</sst>"),
            ])
          : data,
    })),
  );

/** Workbooks: zip bombs dressed as XLSX, damaged archives, sheets that do not fit the layout. */
export async function xlsxCases(): Promise<Make[]> {
  const good = await toXlsx(WIDE_HEADER, WIDE);
  const twoSheets = await toXlsx(WIDE_HEADER, WIDE, [
    { name: "说明", header: ["说明"], rows: [{ 说明: "本表为样例" }] },
  ]);
  const bigRow = await toXlsx(WIDE_HEADER, [
    ...WIDE,
    { 地区: "温州市", 年份: "2023", 居民人均可支配收入: "9".repeat(3000), 城镇化率: "1", 常住人口: "1" },
  ]);
  const injected = await toXlsx(WIDE_HEADER, [
    ...WIDE,
    { 地区: "=cmd|' /C calc'!A0", 年份: "2023", 居民人均可支配收入: "1", 城镇化率: "1", 常住人口: "1" },
  ]);
  return [
    book(
      "zip-bomb",
      "a sheet that inflates to 120 MiB from ~120 KiB: refused before it is parsed",
      zip(workbookEntries(paddedSheet(120 * MiB))),
      1,
      refused("refused_workbook"),
    ),
    book(
      "zip-bomb",
      "a zip bomb named .xlsx holding no workbook (one 150 MiB entry): every part is measured, not only sheets",
      zip([{ name: "bomb.bin", data: Buffer.alloc(150 * MiB) }]),
      1,
      refused("refused_workbook"),
    ),
    book(
      "zip-bomb",
      "a zip inside the workbook (42.zip style): never unpacked",
      zip(
        workbookEntries(paddedSheet(10), [
          { name: "xl/media/inner.zip", data: zip([{ name: "x", data: Buffer.alloc(20 * MiB) }]) },
        ]),
      ),
      1,
      refused("header_mismatch"),
    ),
    book("zip-bomb", "a gzip stream named .xlsx", Buffer.from("1f8b0800000000000003", "hex"), 1, refused("not_xlsx")),
    book(
      "zip-bomb",
      "an archive that ends after its first local header",
      zip(workbookEntries(paddedSheet(10))).subarray(0, 40),
      1,
      refused("unreadable_workbook"),
    ),
    book(
      "truncated",
      "a workbook cut to its first 30%",
      good.subarray(0, Math.floor(good.length * 0.3)),
      1,
      refused("unreadable_workbook"),
    ),
    book("truncated", "an empty .xlsx", "", 1, refused("empty_file")),
    book("truncated", "text named .xlsx", "地区,年份\n杭州市,2023\n", 1, refused("not_xlsx")),
    book(
      "bom",
      "a UTF-8 BOM before the zip signature",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), good]),
      1,
      refused("not_xlsx"),
    ),
    book("columns", "a workbook read as it should be", good, 4, ok(4)),
    book(
      "columns",
      "a second sheet without the layout's header: refused alone, the good sheet loads",
      twoSheets,
      5,
      some(4, "header_mismatch"),
    ),
    book(
      "columns",
      "only the named sheet is read; a missing named sheet is reported",
      twoSheets,
      5,
      some(4, "missing_sheet"),
      { sheets: ["2024", "2025"] },
    ),
    book("columns", "a header row in the wrong place (skipRows 1)", good, 1, refused("header_mismatch"), {
      skipRows: 1,
    }),
    book(
      "oversize",
      "a row longer than maxRecordBytes",
      bigRow,
      5,
      some(4, "oversize_record"),
      {},
      { limits: { maxRecordBytes: 1000, maxFileBytes: 1e7 } },
    ),
    book(
      "oversize",
      "a workbook over maxFileBytes",
      good,
      1,
      refused("oversize_file"),
      {},
      { limits: { maxRecordBytes: 1000, maxFileBytes: 1000 } },
    ),
    book(
      "csv-injection",
      "a formula-looking region in a workbook is text, dead-lettered",
      injected,
      5,
      some(4, "unknown_region"),
    ),
    (id) => ({
      ...book(
        "zip-bomb",
        "a real workbook whose xl/sharedStrings.xml inflates to 120 MiB: refused naming the file and the part",
        paddedStrings(good, 120 * MiB),
        1,
        refused("refused_workbook"),
      )(id),
      check: async (q) =>
        expect(
          await q("SELECT source_uri, CAST(reasons AS VARCHAR) AS reasons FROM quarantine WHERE feed = $1", [
            `corpus-${id}`,
          ]),
        ).toEqual([
          { source_uri: "data.xlsx", reasons: expect.stringContaining("xl/sharedStrings.xml inflates past the limit") },
        ]),
    }),
  ];
}
