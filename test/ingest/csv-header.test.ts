import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { readRows, type ParsedRow } from "../../ingest/index.ts";
import { testSpec } from "./helpers/specs.ts";

async function read(text: string, encoding: string, format: Record<string, unknown>): Promise<ParsedRow[]> {
  const out: ParsedRow[] = [];
  for await (const row of readRows(
    Readable.from([iconv.encode(text, encoding)]),
    testSpec({ format: { kind: "csv", ...format } }),
  ))
    out.push(row);
  return out;
}

describe("checking a CSV header against the layout", () => {
  it("fails the file at its header line when the layout's columns are missing, naming them", async () => {
    const rows = await read("标题\n区域,年度,收入\n杭州市,2024,1\n", "utf8", { skipLines: 1 });
    expect(rows).toEqual([expect.objectContaining({ ok: false, code: "header_mismatch", position: { line: 2 } })]);
    expect((rows[0] as { reason: string }).reason).toMatch(
      /missing columns 地区, 年份 \(closest in the file: 年度\), 居民人均可支配收入/,
    );
  });

  it("catches a title line that was not skipped", async () => {
    const rows = await read("浙江省收入（样例）\n地区,年份,居民人均可支配收入\n杭州市,2024,1\n", "gbk", {
      encoding: "gbk",
    });
    expect(rows.map((r) => (r.ok ? "ok" : r.code))).toEqual(["header_mismatch"]);
  });

  it("reads a GBK file declared as UTF-8 as mojibake, which the header check then refuses instead of passing garbage on", async () => {
    const rows = await read("地区,年份,居民人均可支配收入\n杭州市,2024,1\n", "gbk", { encoding: "utf-8" });
    expect(rows.map((r) => (r.ok ? "ok" : r.code))).toEqual(["header_mismatch"]);
  });

  it("refuses a file that lacks one mapped column, naming the closest header, instead of dropping the column", async () => {
    const spec = testSpec({
      format: { kind: "csv" },
      layout: {
        kind: "wide",
        region: "地区",
        period: "年份",
        columns: {
          居民人均可支配收入: { indicator: "disposable_income_per_capita" },
          "县域就诊率（%）": { indicator: "county_visit_rate" },
        },
      },
    });
    const rows: ParsedRow[] = [];
    const text = "地区,年份,居民人均可支配收入,县域就诊率[%]\n杭州市,2024,1,88\n";
    for await (const row of readRows(Readable.from([Buffer.from(text)]), spec)) rows.push(row);
    expect(rows.map((r) => (r.ok ? "ok" : r.code))).toEqual(["header_mismatch"]);
    expect((rows[0] as { reason: string }).reason).toContain(
      "missing column 县域就诊率（%） (closest in the file: 县域就诊率[%])",
    );
  });

  it("matches a header in the other width or spacing, and keys the fields by the spec's spelling", async () => {
    const spec = testSpec({
      format: { kind: "csv" },
      layout: {
        kind: "wide",
        region: "地区",
        period: "年份",
        columns: {
          "县域就诊率(%)": { indicator: "county_visit_rate" },
          人均预期寿命: { indicator: "life_expectancy", optional: true },
        },
      },
    });
    const rows: ParsedRow[] = [];
    const text = "地 区,年份,县域就诊率（％）\n杭州市,2024,88\n";
    for await (const row of readRows(Readable.from([Buffer.from(text)]), spec)) rows.push(row);
    expect(rows).toEqual([
      expect.objectContaining({ ok: true, fields: { 地区: "杭州市", 年份: "2024", "县域就诊率(%)": "88" } }),
    ]);
  });
});
