import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { readRows } from "../../ingest/formats/index.ts";
import { produceCsvColumns } from "../../ingest/produce-csv-columns.ts";
import { produceRows, type SourceOutcome } from "../../ingest/produce-source.ts";
import type { SourceUnit } from "../../ingest/index.ts";
import type { FeedSpec } from "../../schemas/index.ts";
import { silentLogger } from "../../runtime/logger.ts";
import { captureBus } from "./helpers/capture-bus.ts";
import { LONG_LAYOUT, testSpec } from "./helpers/specs.ts";

const dir = mkdtempSync(join(tmpdir(), "gongfu-csv-columns-"));
let files = 0;
const RECEIVED = new Date("2026-06-01T00:00:00Z");

function unitOf(bytes: Buffer | string): SourceUnit {
  const path = join(dir, `f${++files}.csv`);
  writeFileSync(path, bytes);
  return {
    uri: `f${files}.csv`,
    checksum: `c${files}`,
    bytes: Buffer.byteLength(bytes),
    publishedAt: "2026-01-15T00:00:00.000Z",
    open: () => Readable.from([Buffer.from(bytes)]),
    path,
  };
}

/** What a reader handed on: raw records and dead letters, as the bus carried them. */
async function produced(spec: FeedSpec, unit: SourceUnit, columnar: boolean) {
  const cap = await captureBus([spec.id]);
  const deps = { bus: cap.bus, topics: cap.topics, now: () => RECEIVED, logger: silentLogger() };
  let outcome: SourceOutcome | undefined;
  if (columnar) outcome = await produceCsvColumns(spec, unit, deps);
  else
    outcome = await produceRows(
      spec,
      unit,
      readRows(() => unit.open(), spec),
      deps,
    );
  const dead = cap.dead().map((d) => ({ ...d, at: "" }));
  return { outcome, raw: cap.raw(), dead };
}

const longSpec = ({ format, ...extra }: Record<string, unknown> = {}) =>
  testSpec({ layout: LONG_LAYOUT, format: { kind: "csv", ...(format as object) }, ...extra });

/** A field as a department might write it: plain, Chinese, full-width, blank, or quoted with commas and quotes. */
const field = fc.oneof(
  fc.constantFrom("杭州市", "330100", "宁波", "2024", "2024年", "2025Q3", "79,323", "１２３", "", " 7 ", "万元", "N/A"),
  fc.stringMatching(/^[0-9.-]{1,8}$/),
  fc.string({ unit: fc.constantFrom("a", "杭", ",", '"', " ", "；", "é", "𠀀"), maxLength: 6 }),
);
const quote = (s: string) => (/[",]/.test(s) || s.startsWith(" ") ? `"${s.replaceAll('"', '""')}"` : s);

describe("CSV read by DuckDB", () => {
  it("hands on exactly what the JavaScript reader does: fields, lines, vintages and dead letters", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(field, field, field, field, field, fc.constantFrom("", "2025-12-01", "2027-01-01")), {
          minLength: 0,
          maxLength: 40,
        }),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        fc.constantFrom("utf-8", "utf-8", "gbk", "gb18030"),
        async (rows, eol, bom, titles, trailingBlank, encoding) => {
          const header = ["region", "indicator", "period", "value", "unit", "发布日期"];
          const lines = [
            ...Array.from({ length: titles }, (_, i) => `表${i + 1} 标题,,`),
            header.join(","),
            ...rows.map((r) => r.map(quote).join(",")),
          ];
          const text = `${bom ? "\uFEFF" : ""}${lines.join(eol)}${eol}${trailingBlank ? eol : ""}`;
          const spec = longSpec({ format: { skipLines: titles, encoding }, vintageColumn: "发布日期" });
          // A GBK file is transcoded to UTF-8 for DuckDB; a character GBK lacks is written as "?", for both readers.
          const unit = unitOf(encoding === "utf-8" ? text : iconv.encode(text.replace(/^\uFEFF/, ""), encoding));
          const fast = await produced(spec, unit, true);
          const slow = await produced(spec, unit, false);
          expect(fast.outcome, "the file is plain: DuckDB reads it").toBeDefined();
          expect(fast.outcome).toEqual(slow.outcome);
          expect(fast.raw).toEqual(slow.raw);
          expect(fast.dead).toEqual(slow.dead);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("cuts a large file into batches whose rows and lines run on without a gap", async () => {
    const n = 70_000;
    const body = Array.from({ length: n }, (_, i) => `330${100 + (i % 12)}00,gdp,${2000 + (i % 25)},${i}.5,亿元`);
    const unit = unitOf(`region,indicator,period,value,unit\n${body.join("\n")}\n`);
    const fast = await produced(longSpec(), unit, true);
    expect(fast.outcome).toEqual({ records: n, rejected: 0, deadLetters: 0 });
    expect(fast.raw.map((r) => r.source.position.line)).toEqual(Array.from({ length: n }, (_, i) => i + 2));
    expect(fast.raw[n - 1]!.fields).toEqual({
      region: "33010300",
      indicator: "gdp",
      period: "2024",
      value: `${n - 1}.5`,
      unit: "亿元",
    });
  });

  it.each([
    ["a quoted field with a line break", 'region,indicator,period,value,unit\n"杭\n州",gdp,2024,1,亿元\n'],
    [
      "a blank line between records",
      "region,indicator,period,value,unit\n杭州,gdp,2024,1,亿元\n\n宁波,gdp,2024,2,亿元\n",
    ],
    ["a line ending in CR alone", "region,indicator,period,value,unit\r杭州,gdp,2024,1,亿元\r"],
    ["U+FFFD in a field", "region,indicator,period,value,unit\n杭\uFFFD,gdp,2024,1,亿元\n"],
    ["a NUL byte", "region,indicator,period,value,unit\n杭州\u0000,gdp,2024,1,亿元\n"],
    ["a byte order mark after the start", "region,indicator,period,value,unit\n\uFEFF杭州,gdp,2024,1,亿元\n"],
    ["a record with a field too few", "region,indicator,period,value,unit\n杭州,gdp,2024,1\n"],
    ["a record with a field too many", "region,indicator,period,value,unit\n杭州,gdp,2024,1,亿元,x\n"],
    ["a header without the layout's columns", "地区,指标\n杭州,gdp\n"],
    ["an empty file", ""],
  ])("leaves %s to the JavaScript reader, which gives the same result as ever", async (_, text) => {
    const unit = unitOf(text);
    const fast = await produced(longSpec(), unit, true);
    expect(fast.outcome).toBeUndefined();
    expect(fast.raw).toEqual([]);
    expect(fast.dead).toEqual([]);
  });

  it.each([
    ["a quote inside an unquoted field", 'region,indicator,period,value,unit\n杭"州,gdp,2024,1,亿元\n'],
    ["text after a closing quote", 'region,indicator,period,value,unit\n"杭"州,gdp,2024,1,亿元\n'],
    ["a space before an opening quote", 'region,indicator,period,value,unit\n "杭州",gdp,2024,1,亿元\n'],
    ["an unbalanced quote at the end", 'region,indicator,period,value,unit\n杭州,gdp,2024,1,"亿元\n'],
    ["a line of delimiters only", "region,indicator,period,value,unit\n,,,,\n杭州,gdp,2024,1,亿元\n"],
    ["no line break at the end", "region,indicator,period,value,unit\n杭州,gdp,2024,1,亿元"],
    ["LF and CRLF mixed", "region,indicator,period,value,unit\r\n杭州,gdp,2024,1,亿元\n宁波,gdp,2024,2,亿元\r\n"],
    ["a header and no record", "region,indicator,period,value,unit\n"],
    ["tabs and trailing spaces", "region,indicator,period,value,unit\n杭州\t,gdp ,2024,\t1 ,亿元 \n"],
    ["a header with spaces and full-width names", " ｒｅｇｉｏｎ ,indicator,period,value,unit\n杭州,gdp,2024,1,亿元\n"],
    ["blank header names", "region,indicator,period,value,unit,,\n杭州,gdp,2024,1,亿元,,\n"],
    ["a number-like header name", "region,indicator,period,value,unit,2024\n杭州,gdp,2024,1,亿元,x\n"],
  ])("reads %s as the JavaScript reader does, whichever reader takes it", async (_, text) => {
    const unit = unitOf(text);
    const fast = await produced(longSpec(), unit, true);
    const slow = await produced(longSpec(), unit, false);
    if (fast.outcome === undefined) return;
    expect(fast.outcome).toEqual(slow.outcome);
    expect(fast.raw).toEqual(slow.raw);
    expect(fast.dead).toEqual(slow.dead);
  });

  it("leaves bytes that are not UTF-8 to the JavaScript reader, and reads bad GBK bytes as it does", async () => {
    const bad = Buffer.concat([
      Buffer.from("region,indicator,period,value,unit\n"),
      Buffer.from([0xc4, 0xfe]),
      Buffer.from(",gdp,2024,1,x\n"),
    ]);
    const utf8 = longSpec({ format: { encoding: "utf-8" } });
    expect((await produced(utf8, unitOf(bad), true)).outcome).toBeUndefined();
    // Declared `auto`, the same bytes are sniffed as GB18030 and transcoded: read as the JavaScript reader reads them.
    const sniffed = unitOf(bad);
    expect(await produced(longSpec(), sniffed, true)).toEqual(await produced(longSpec(), sniffed, false));
    const gbk = longSpec({ format: { encoding: "gbk" } });
    const head = iconv.encode("region,indicator,period,value,unit\n杭州,gdp,2024,1,x\n", "gbk");
    for (const tail of [[0x81], [0x81, 0x20, 0x2c], [0xff, 0xff]]) {
      const unit = unitOf(Buffer.concat([head, Buffer.from(tail), Buffer.from(",gdp,2024,2,x\n")]));
      const fast = await produced(gbk, unit, true);
      const slow = await produced(gbk, unit, false);
      if (fast.outcome === undefined) continue;
      expect(fast).toEqual(slow);
    }
  });
});
