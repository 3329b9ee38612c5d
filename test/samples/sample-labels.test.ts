import { readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { SAMPLES, SAMPLE_FEEDS } from "./sample-feeds.ts";

const LABEL = "样例数据";
const bytes = (id: keyof typeof SAMPLE_FEEDS): Buffer => readFileSync(join(SAMPLES, SAMPLE_FEEDS[id]));
const firstLine = (text: string): string => text.slice(0, text.indexOf("\n"));

describe("sample files say they are sample data", () => {
  it("in the title line of the CSV exports", () => {
    expect(firstLine(iconv.decode(bytes("stats-bureau-annual"), "gbk"))).toContain(LABEL);
    const hrss = bytes("hrss-employment").toString("utf8");
    expect(hrss.startsWith("\uFEFF")).toBe(true);
    expect(firstLine(hrss)).toContain(LABEL);
  });

  it("in the title row of every worksheet", async () => {
    for (const id of ["education-annual", "civil-affairs-housing"] as const) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes(id) as unknown as ArrayBuffer);
      expect(wb.worksheets.length).toBeGreaterThan(0);
      for (const ws of wb.worksheets) expect(String(ws.getCell("A1").value), `${id} ${ws.name}`).toContain(LABEL);
    }
  });

  it("in the API body and on every NDJSON record", () => {
    expect((JSON.parse(bytes("health-api").toString("utf8")) as { notice: string }).notice).toContain(LABEL);
    const lines = bytes("ecology-monthly").toString("utf8").trim().split("\n");
    expect(lines.length).toBeGreaterThan(1000);
    for (const line of lines) expect((JSON.parse(line) as { dataset: string }).dataset).toContain(LABEL);
  });
});
