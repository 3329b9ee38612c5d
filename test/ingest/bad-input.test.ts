import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import type { SourcePosition } from "../../schemas/index.ts";
import { dropFixture } from "./helpers/drop.ts";
import { LONG_LAYOUT, testSpec } from "./helpers/specs.ts";
import { incomeSheet, workbook } from "./helpers/workbooks.ts";

const HEADER = "地区,年份,居民人均可支配收入\n";
const csvSpec = (format: Record<string, unknown> = {}, limits?: Record<string, number>) =>
  testSpec({
    connector: { kind: "file-drop", path: "in" },
    format: { kind: "csv", encoding: "auto", ...format },
    ...(limits ? { limits } : {}),
  });
const xlsxSpec = () =>
  testSpec({
    connector: { kind: "file-drop", path: "in" },
    format: { kind: "xlsx", skipRows: 1, headerRows: 2, sheetColumn: "年份" },
    layout: {
      kind: "wide",
      region: "地区",
      period: "年份",
      columns: { "城镇/人均可支配收入": { indicator: "disposable_income_per_capita_urban" } },
    },
  });
const jsonSpec = (kind: "json" | "ndjson") =>
  testSpec({ connector: { kind: "file-drop", path: "in" }, format: { kind }, layout: LONG_LAYOUT });
const rows = (n: number) => Array.from({ length: n }, (_, i) => [`县${i}`, 1000 + i, 1, 2, 3]);

interface Case {
  name: string;
  spec: ReturnType<typeof testSpec>;
  file: string;
  bytes: Buffer | string | (() => Promise<Buffer>);
  /** Good rows of the same file that must still flow; -1: unknown (a workbook cut before its shared strings has none left). */
  good: number;
  dead: { code: RegExp; position: SourcePosition }[];
}

const cases: Case[] = [
  {
    name: "a CSV truncated inside a quoted field",
    spec: csvSpec(),
    file: "cut.csv",
    bytes: `${HEADER}杭州市,2024,1\n宁波市,2024,"76`,
    good: 1,
    dead: [{ code: /^truncated$/, position: { line: 3 } }],
  },
  {
    name: "a truncated workbook",
    spec: xlsxSpec(),
    file: "cut.xlsx",
    bytes: async () => (await workbook([incomeSheet("2024", rows(400))])).subarray(0, 9000),
    good: -1,
    dead: [{ code: /^unreadable_workbook$/, position: expect.anything() as unknown as SourcePosition }],
  },
  {
    name: "an unreadable workbook (not a zip at all)",
    spec: xlsxSpec(),
    file: "not.xlsx",
    bytes: "PK? no, this is text",
    good: 0,
    dead: [{ code: /^not_xlsx$/, position: {} }],
  },
  {
    name: "a GBK file declared as UTF-8 (wrong encoding)",
    spec: csvSpec({ encoding: "utf-8" }),
    file: "gbk.csv",
    bytes: iconv.encode(`${HEADER}杭州市,2024,1\n`, "gbk"),
    good: 0,
    dead: [{ code: /^header_mismatch$/, position: { line: 1 } }],
  },
  {
    name: "a row with the wrong number of fields",
    spec: csvSpec(),
    file: "fields.csv",
    bytes: `${HEADER}杭州市,2024\n宁波市,2024,2\n`,
    good: 1,
    dead: [{ code: /^field_count$/, position: { line: 2 } }],
  },
  {
    name: "an empty file",
    spec: csvSpec(),
    file: "empty.csv",
    bytes: "",
    good: 0,
    dead: [{ code: /^empty_file$/, position: { line: 1 } }],
  },
  {
    name: "a spreadsheet with no matching header",
    spec: xlsxSpec(),
    file: "header.xlsx",
    bytes: () =>
      workbook([
        { name: "说明", rows: [["t"], ["区域", "数值"], ["x", "y"], ["杭州市", 1]] },
        incomeSheet("2024", rows(2)),
      ]),
    good: 2,
    dead: [{ code: /^header_mismatch$/, position: { sheet: "说明", row: 3 } }],
  },
  {
    name: "an oversize record",
    spec: csvSpec({}, { maxRecordBytes: 64 }),
    file: "long.csv",
    bytes: `${HEADER}杭州市,2024,${"9".repeat(100)}\n宁波市,2024,2\n`,
    good: 1,
    dead: [{ code: /^oversize_record$/, position: { line: 2 } }],
  },
  {
    name: "an oversize file",
    spec: csvSpec({}, { maxFileBytes: 50 }),
    file: "big.csv",
    bytes: `${HEADER}${"杭州市,2024,1\n".repeat(10)}`,
    good: 0,
    dead: [{ code: /^oversize_file$/, position: {} }],
  },
  {
    name: "a JSON file that is not JSON",
    spec: jsonSpec("json"),
    file: "page.json",
    bytes: "<html>502</html>",
    good: 0,
    dead: [{ code: /^not_json$/, position: {} }],
  },
  {
    name: "an NDJSON file with a bad line",
    spec: jsonSpec("ndjson"),
    file: "m.ndjson",
    bytes: '{"region":"a"}\n{"region":\n{"region":"b"}\n',
    good: 2,
    dead: [{ code: /^bad_json$/, position: { line: 2 } }],
  },
];

describe("bad input never crashes the connector: it becomes dead letters naming file, place and reason, and the good rows flow", () => {
  it.each(cases)("$name", async (c) => {
    const t = await dropFixture(c.spec);
    t.drop(c.file, typeof c.bytes === "function" ? await c.bytes() : c.bytes);
    const stats = await t.connector().poll();
    const dead = t.dead();
    expect(dead).toHaveLength(c.dead.length);
    dead.forEach((d, i) => {
      expect(d).toMatchObject({
        stage: "ingest",
        feed: "test-feed",
        source: { uri: c.file, position: c.dead[i]!.position },
      });
      expect(d.reasons[0]!.code).toMatch(c.dead[i]!.code);
      expect(d.reasons[0]!.message.length).toBeGreaterThan(10);
    });
    if (c.good >= 0) expect(t.raw()).toHaveLength(c.good);
    expect(stats.records).toBe(t.raw().length);
    expect(stats.deadLetters).toBe(dead.length);
    expect(t.listed(stats.records === 0 ? "failed" : "processed").some((f) => f.endsWith(`_${c.file}`))).toBe(true);
  });

  it("a path outside the drop folder: a link out of it is refused and named", async () => {
    const t = await dropFixture(csvSpec());
    mkdirSync(join(t.base, "elsewhere"));
    writeFileSync(join(t.base, "elsewhere", "x.csv"), `${HEADER}杭州市,2024,1\n`);
    symlinkSync(join(t.base, "elsewhere"), join(t.folder, "sub"));
    symlinkSync(join(t.base, "elsewhere", "x.csv"), join(t.folder, "x.csv"));
    await t.connector().poll();
    expect(t.raw()).toHaveLength(0);
    expect(t.dead().map((d) => [d.source.uri, d.reasons[0]!.code])).toEqual(
      [
        ["sub", "refused_file"],
        ["x.csv", "refused_file"],
      ].sort(),
    );
  });
});
