import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { readRows, type ParsedRow } from "../../ingest/index.ts";
import { FeedSpec } from "../../schemas/index.ts";

const spec = FeedSpec.parse({
  id: "test-feed",
  name: "test",
  department: { code: "stats", name: "统计局" },
  connector: { kind: "file-drop", path: "x" },
  format: { kind: "csv", encoding: "auto", skipLines: 1 },
  layout: {
    kind: "wide",
    region: "地区",
    period: "年份",
    columns: { 收入: { indicator: "disposable_income_per_capita" } },
  },
  frequency: "annual",
  limits: { maxRecordBytes: 40 },
});

async function rows(text: string, encoding: "gbk" | "utf8" = "gbk"): Promise<ParsedRow[]> {
  const out: ParsedRow[] = [];
  for await (const r of readRows(Readable.from([iconv.encode(text, encoding)]), spec)) out.push(r);
  return out;
}

describe("reading a CSV feed", () => {
  it("skips the title line and names fields by the header", async () => {
    expect(await rows("标题（样例）\n地区,年份,收入\n杭州市,2024年,79323\n")).toEqual([
      { ok: true, position: { line: 3 }, fields: { 地区: "杭州市", 年份: "2024年", 收入: "79323" } },
    ]);
  });

  it("keeps quoted commas, doubled quotes and line breaks inside quotes, counting physical lines", async () => {
    const result = await rows(
      't\n地区,年份,收入\n"杭州市","2024年","79,323"\n"丽水""市","2024\n年",1\n宁波市,2024,2\n',
      "utf8",
    );
    expect(result.map((r) => (r.ok ? [r.position.line, Object.values(r.fields)] : r.code))).toEqual([
      [3, ["杭州市", "2024年", "79,323"]],
      [4, ['丽水"市', "2024\n年", "1"]],
      [6, ["宁波市", "2024", "2"]],
    ]);
  });

  it("turns a line with the wrong number of fields into a failed row with its line, and goes on", async () => {
    const result = await rows("t\n地区,年份,收入\n温州市,2024年\n嘉兴市,2024年,1\n");
    expect(result[0]).toMatchObject({ ok: false, code: "field_count", position: { line: 3 } });
    expect(result[1]).toMatchObject({ ok: true, position: { line: 4 } });
  });

  it("reports a file that ends inside a quoted field as truncated", async () => {
    const result = await rows('t\n地区,年份,收入\n杭州市,2024年,"79323\n');
    expect(result).toEqual([expect.objectContaining({ ok: false, code: "truncated", position: { line: 3 } })]);
  });

  it("rejects a record longer than the feed's limit without reading it into memory whole", async () => {
    const result = await rows(`t\n地区,年份,收入\n杭州市,2024年,${"9".repeat(100)}\n宁波市,2024年,1\n`);
    expect(result[0]).toMatchObject({ ok: false, code: "oversize_record", position: { line: 3 } });
    expect(result[1]).toMatchObject({ ok: true, position: { line: 4 } });
  });

  it("reports an empty file as one failed row", async () => {
    expect(await rows("")).toEqual([expect.objectContaining({ ok: false, code: "empty_file" })]);
  });
});
