import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { syncCatalog, writeBatch } from "../../load/index.ts";
import { xlsxText } from "../../load/export/write-xlsx.ts";
import { defaultCatalog } from "../../schemas/index.ts";
import { runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";
import { delivered, observation, scratchWarehouse, tempDir } from "./fixtures.ts";

// Exports for Excel users (issue 17, item 5): Chinese headers, a stable row order, control characters kept.
const ROWS = [
  observation({
    region: "330100",
    period: "2023",
    value: 75810,
    source: { feed: "f", uri: "a\u0001b.csv", position: { line: 1 } },
  }),
  observation({
    region: "330200",
    period: "2023",
    value: 73869,
    source: { feed: "f", uri: "esc\u001b[0m_x0041_.csv", position: { line: 2 } },
  }),
  observation({
    region: "330300",
    period: "2023",
    value: 69678,
    source: { feed: "f", uri: "tab\there.csv", position: { line: 3 } },
  }),
];

async function warehouseWith(order: readonly number[]): Promise<string> {
  const data = tempDir("export-excel");
  const db = await scratchWarehouse(join(data, "gongfu.duckdb"));
  try {
    await syncCatalog(db.connection, defaultCatalog());
    for (const [k, i] of order.entries()) await writeBatch(db.connection, "g", [delivered(ROWS[i]!, k)], [], []);
  } finally {
    db.close();
  }
  return data;
}

const exportCli = (data: string, ...args: string[]) => runCli(["export", "--data", data, "--no-metrics", ...args]);

async function sheetOf(file: string): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  return book.worksheets[0]!;
}

/** What Excel shows for an OOXML string: _xHHHH_ decoded. */
const excelReads = (s: string) =>
  s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

describe("exports for Excel users", { timeout: 120_000 }, () => {
  it("gives XLSX columns Chinese headers with the column code beside them", async () => {
    const data = await warehouseWith([0, 1, 2]);
    const out = join(data, "facts.xlsx");
    const r = await exportCli(data, "--table", "fact_observation", "--out", out);
    expect(r.code, r.stderr).toBe(0);
    const header = ((await sheetOf(out)).getRow(1).values as unknown[]).slice(1);
    expect(header).toContain("指标代码 indicator_code");
    expect(header).toContain("地区代码 region_code");
    expect(header).toContain("发布时间（版本） vintage (UTC)");
    // A query's columns are labelled from the catalog's columns of the same name.
    const q = join(data, "q.xlsx");
    expect((await exportCli(data, "--query", "SELECT code, name_zh FROM dim_region", "--out", q)).code).toBe(0);
    expect(((await sheetOf(q)).getRow(1).values as unknown[]).slice(1)[1]).toMatch(/^.+ name_zh$/);
  });

  it("writes the same rows in the same order whatever order they were loaded in", async () => {
    const a = await warehouseWith([0, 1, 2]);
    const b = await warehouseWith([2, 0, 1]);
    const csv = async (data: string) => {
      const out = join(data, "facts.csv");
      const r = await exportCli(
        data,
        "--query",
        "SELECT region_code, period, value FROM fact_observation",
        "--out",
        out,
      );
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(out, "utf8");
    };
    const first = await csv(a);
    expect(await csv(b)).toBe(first);
    expect(first.trim().split("\n").slice(1)).toEqual([
      "330100,2023,75810.0",
      "330200,2023,73869.0",
      "330300,2023,69678.0",
    ]);
    // A query's own ORDER BY is kept.
    const out = join(b, "desc.csv");
    await exportCli(b, "--query", "SELECT region_code FROM fact_observation ORDER BY region_code DESC", "--out", out);
    expect(readFileSync(out, "utf8").trim().split("\n").slice(1)).toEqual(["330300", "330200", "330100"]);
  });

  it("keeps control characters in XLSX text (as Excel's _xHHHH_), so source_uri reads back as in the warehouse", async () => {
    const data = await warehouseWith([0, 1, 2]);
    const out = join(data, "facts.xlsx");
    expect((await exportCli(data, "--table", "fact_observation", "--out", out)).code).toBe(0);
    const sheet = await sheetOf(out);
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const col = header.findIndex((h) => h.endsWith(" source_uri")) + 1;
    const uris = [2, 3, 4].map((r) => excelReads(String(sheet.getRow(r).getCell(col).value)));
    const stored = await withWarehouse(join(data, "gongfu.duckdb"), (q) =>
      q("SELECT source_uri FROM fact_observation ORDER BY ALL"),
    );
    expect(uris.sort()).toEqual(stored.map((s) => String(s["source_uri"])).sort());
    expect(uris).toContain("a\u0001b.csv");
    expect(uris).toContain("esc\u001b[0m_x0041_.csv");
  });

  it("escapes a literal _xHHHH_ so it does not turn into a character", () => {
    expect(xlsxText("plain")).toBe("plain");
    expect(xlsxText("a\u0001b")).toBe("a_x0001_b");
    expect(xlsxText("_x0041_")).toBe("_x005F_x0041_");
    expect(excelReads(xlsxText("x\u007f_x0041_\u0000"))).toBe("x\u007f_x0041_\u0000");
  });
});
