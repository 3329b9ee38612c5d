import iconv from "iconv-lite";
import { expect } from "vitest";
import {
  caseSpec,
  LONG_HEADER,
  longLayout,
  WIDE_COLUMNS,
  WIDE_HEADER,
  type Category,
  type CorpusCase,
  type Expected,
} from "./case.ts";
import { toCsv, toNdjson, type Row } from "./render.ts";

/** Good wide rows: each loads three observations. */
export const WIDE: Row[] = [
  { 地区: "杭州市", 年份: "2023", 居民人均可支配收入: "75810", 城镇化率: "84.2", 常住人口: "1252" },
  { 地区: "宁波市", 年份: "2023", 居民人均可支配收入: "72496", 城镇化率: "79.1", 常住人口: "962" },
  { 地区: "衢州市", 年份: "2023", 居民人均可支配收入: "48332", 城镇化率: "58.9", 常住人口: "229" },
  { 地区: "丽水市", 年份: "2023", 居民人均可支配收入: "48054", 城镇化率: "63.5", 常住人口: "251" },
];
export const LONG: Row[] = WIDE.map((r) => ({
  region: r["地区"]!,
  period: "2023",
  indicator: "urbanization_rate",
  value: r["城镇化率"]!,
  unit: "%",
}));

export const csv = (rows: readonly Row[] = WIDE) => toCsv(WIDE_HEADER, rows);
const gbk = (text: string) => iconv.encode(text, "gbk");
const BOM = "\uFEFF";

type Make = (id: string) => CorpusCase;
const wideCsv =
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
    spec: caseSpec(id, { kind: "csv", ...format }, overrides),
    files: [{ name: "data.csv", bytes }],
    records,
    expect,
  });
const ndjson =
  (
    category: Category,
    name: string,
    bytes: Buffer | string,
    records: number,
    expect: Expected,
    overrides: Record<string, unknown> = {},
  ): Make =>
  (id) => ({
    id,
    category,
    name,
    spec: caseSpec(id, { kind: "ndjson" }, overrides),
    files: [{ name: "data.ndjson", bytes }],
    records,
    expect,
  });
const ok = (loaded: number): Expected => ({ loaded, dead: 0, missing: 0, codes: [] });
const refused = (code: string): Expected => ({ loaded: 0, dead: 1, missing: 0, codes: [code] });
const some = (loaded: number, ...codes: string[]): Expected => ({ loaded, dead: codes.length, missing: 0, codes });
const long = (l: string) => JSON.parse(`{${l}}`) as Row;
const far = Array.from({ length: 3000 }, (_, i) => ({ ...WIDE[i % 4]!, 年份: String(2020 + (i % 6)) }));

/** Encodings, BOMs, truncation, columns and oversize records in CSV and NDJSON. */
export const TEXT_CASES: Make[] = [
  wideCsv("encoding", "GBK CSV, encoding auto: detected and read", gbk(csv()), 4, ok(4)),
  wideCsv("encoding", "GB18030 CSV declared gbk", iconv.encode(csv(), "gb18030"), 4, ok(4), { encoding: "gbk" }),
  wideCsv("encoding", "GBK CSV declared utf-8: the header cannot match", gbk(csv()), 1, refused("header_mismatch"), {
    encoding: "utf-8",
  }),
  wideCsv("encoding", "UTF-8 CSV declared gbk: mojibake header", csv(), 1, refused("header_mismatch"), {
    encoding: "gbk",
  }),
  wideCsv(
    "encoding",
    "UTF-16LE with BOM: detected by its BOM and read",
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(), "utf16le")]),
    4,
    ok(4),
  ),
  wideCsv(
    "encoding",
    "mixed: UTF-8 file with one GBK line near the start (read as GB18030: nothing matches)",
    Buffer.concat([Buffer.from(csv()), gbk("杭州市,2024,1,2,3\n")]),
    1,
    refused("header_mismatch"),
  ),
  wideCsv(
    "encoding",
    "mixed: a GBK line after 64 KiB of UTF-8 becomes replacement characters, only that line fails",
    Buffer.concat([
      Buffer.from(toCsv(WIDE_HEADER, far)),
      gbk("杭州市,2024,1,2,3\n"),
      Buffer.from(toCsv(WIDE_HEADER, WIDE).split("\n").slice(1).join("\n")),
    ]),
    3005,
    some(3004, "bad_encoding"),
  ),
  wideCsv(
    "encoding",
    "Latin-1 bytes in a UTF-8 file's region: the file stays UTF-8, that line alone is dead-lettered",
    Buffer.concat([Buffer.from(csv()), Buffer.from("S\xe3o Paulo,2023,1,2,3\n", "latin1")]),
    5,
    some(4, "bad_encoding"),
  ),
  ndjson("encoding", "GBK NDJSON: detected and read", gbk(toNdjson(LONG)), 4, ok(4)),
  ndjson(
    "encoding",
    "UTF-16 NDJSON read as UTF-8: no line is JSON (the NUL after the last line break is a fifth)",
    Buffer.from(toNdjson(LONG), "utf16le"),
    5,
    some(0, "bad_json", "bad_json", "bad_json", "bad_json", "bad_json"),
  ),
  wideCsv("bom", "UTF-8 BOM at the start", BOM + csv(), 4, ok(4)),
  wideCsv("bom", "two BOMs at the start", BOM + BOM + csv(), 4, ok(4)),
  wideCsv("bom", "a BOM before a region in the middle of the file", csv().replace("宁波市", `${BOM}宁波市`), 4, ok(4)),
  wideCsv(
    "bom",
    "two files concatenated, each with BOM and header: the second header is a bad record",
    BOM + csv() + BOM + csv(),
    9,
    some(8, "unknown_region"),
  ),
  wideCsv(
    "bom",
    "a UTF-8 BOM in front of GBK bytes",
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), gbk(csv())]),
    1,
    refused("header_mismatch"),
  ),
  wideCsv(
    "bom",
    "a BOM inside a number is read as a digit-group space",
    csv().replace("75810", `75${BOM}810`),
    4,
    ok(4),
  ),
  ndjson(
    "bom",
    "a BOM at the start of every NDJSON line",
    toNdjson(LONG)
      .split("\n")
      .map((l) => (l ? BOM + l : l))
      .join("\n"),
    4,
    ok(4),
  ),
  ndjson("truncated", "NDJSON cut in the middle of a line", toNdjson(LONG).slice(0, -20), 4, some(3, "bad_json")),
  ndjson(
    "truncated",
    "NDJSON cut inside a multi-byte character",
    Buffer.from(toNdjson(LONG)).subarray(0, Buffer.from(toNdjson(LONG)).indexOf(Buffer.from("丽水")) + 2),
    4,
    some(3, "bad_json"),
  ),
  wideCsv("truncated", "CSV cut in the middle of a line", csv().slice(0, -12), 4, some(3, "field_count")),
  wideCsv("truncated", "CSV cut inside a quoted field", `${csv()}温州市,2023,"6`, 5, some(4, "truncated")),
  wideCsv("truncated", "an empty CSV", "", 1, refused("empty_file")),
  ndjson("truncated", "an empty NDJSON file", "", 1, refused("empty_file")),
  wideCsv(
    "truncated",
    "a CSV of its header only: no record, nothing to account for",
    `${WIDE_HEADER.join(",")}\n`,
    0,
    ok(0),
  ),
  wideCsv("columns", "a row with fewer fields", `${csv()}温州市,2023,1\n`, 5, some(4, "field_count")),
  wideCsv("columns", "a row with more fields", `${csv()}温州市,2023,1,2,3,4,5\n`, 5, some(4, "field_count")),
  wideCsv(
    "columns",
    "a header without the value columns",
    csv().replace(/^.*\n/, "地区,年份,甲,乙,丙\n"),
    1,
    refused("header_mismatch"),
  ),
  wideCsv(
    "columns",
    "semicolon-separated, spec says comma",
    toCsv(WIDE_HEADER, WIDE, ";"),
    1,
    refused("header_mismatch"),
  ),
  wideCsv("columns", "tab-separated with delimiter tab: read", toCsv(WIDE_HEADER, WIDE, "\t"), 4, ok(4), {
    delimiter: "\t",
  }),
  wideCsv(
    "columns",
    "a header without some mapped value columns: refused, naming them (unless the spec marks them optional)",
    toCsv(["地区", "年份", "城镇化率"], WIDE),
    1,
    refused("header_mismatch"),
  ),
  wideCsv("columns", "blank lines and CRLF line ends between rows", csv().replaceAll("\n", "\r\n\r\n"), 4, ok(4)),
  wideCsv("columns", "a title line above the header, skipLines 1", `浙江省主要指标（样例）\n${csv()}`, 4, ok(4), {
    skipLines: 1,
  }),
  wideCsv(
    "columns",
    "a title line above the header, skipLines 0",
    `浙江省主要指标（样例）\n${csv()}`,
    1,
    refused("header_mismatch"),
  ),
  wideCsv(
    "columns",
    "a quoted line break inside a region name is layout, not part of it",
    csv().replace("杭州市", '"杭州\n市"'),
    4,
    ok(4),
  ),
  ndjson(
    "columns",
    "NDJSON lines missing the value field",
    `${toNdjson(LONG)}{"region":"温州市","period":"2023","indicator":"urbanization_rate"}\n`,
    5,
    some(4, "missing_field"),
  ),
  ndjson(
    "columns",
    "NDJSON lines that are arrays, strings and null",
    `${toNdjson(LONG)}[1,2]\n"杭州市"\nnull\n`,
    7,
    some(4, "not_an_object", "not_an_object", "not_an_object"),
  ),
  ndjson(
    "columns",
    "NDJSON with a key duplicated: the last one counts",
    `${toNdjson(LONG)}{"region":"温州市","period":"2023","indicator":"urbanization_rate","value":"74","value":"abc"}\n`,
    5,
    some(4, "not_a_number"),
  ),
  wideCsv(
    "oversize",
    "a record over maxRecordBytes",
    `${csv()}温州市,2023,${"9".repeat(300)},1,1\n`,
    5,
    some(4, "oversize_record"),
    {},
    { limits: { maxRecordBytes: 200, maxFileBytes: 1e6 } },
  ),
  wideCsv(
    "oversize",
    "a 2 MB line without a line break",
    `${csv()}${"x".repeat(2_000_000)}`,
    5,
    some(4, "oversize_record"),
  ),
  wideCsv(
    "oversize",
    "a file over maxFileBytes",
    csv(),
    1,
    refused("oversize_file"),
    {},
    { limits: { maxFileBytes: 100, maxRecordBytes: 1000 } },
  ),
  wideCsv("oversize", "an oversize header", `${"地区,".repeat(40_000)}\n${csv()}`, 1, {
    loaded: 0,
    dead: 1,
    missing: 0,
    codes: ["oversize_record", "header_mismatch"],
  }),
  ndjson(
    "oversize",
    "an NDJSON line over maxRecordBytes",
    `${toNdjson(LONG)}{"region":"${"a".repeat(500)}"}\n`,
    5,
    some(4, "oversize_record"),
    { limits: { maxRecordBytes: 200, maxFileBytes: 1e6 } },
  ),
  ndjson(
    "oversize",
    'an NDJSON file of one oversize line: one dead letter, not also "empty file"',
    `{"region":"${"a".repeat(500)}"}\n`,
    1,
    refused("oversize_record"),
    { limits: { maxRecordBytes: 200, maxFileBytes: 1e6 } },
  ),
  ndjson(
    "columns",
    "indicator names that are Object.prototype keys (valueOf, __proto__, constructor)",
    `${toNdjson(LONG)}` +
      `${["valueOf", "__proto__", "constructor"]
        .map((indicator) => JSON.stringify({ region: "温州市", period: "2023", indicator, value: "1", unit: "" }))
        .join("\n")}\n`,
    7,
    some(4, "unknown_indicator", "unknown_indicator", "unknown_indicator"),
  ),
  ndjson("oversize", "an NDJSON file over maxFileBytes", toNdjson(LONG), 1, refused("oversize_file"), {
    limits: { maxFileBytes: 100, maxRecordBytes: 100 },
  }),
  (id) => ({
    id,
    category: "columns",
    name: "long CSV with its unit column missing: the catalog unit applies",
    spec: caseSpec(id, { kind: "csv" }, longLayout()),
    files: [{ name: "d.csv", bytes: toCsv(LONG_HEADER.slice(0, 4), LONG) }],
    records: 4,
    expect: ok(4),
  }),
  (id) => ({
    id,
    category: "columns",
    name: "long CSV with an indicator the catalog does not have",
    spec: caseSpec(id, { kind: "csv" }, longLayout()),
    files: [
      {
        name: "d.csv",
        bytes: toCsv(LONG_HEADER, [
          ...LONG,
          long('"region":"杭州市","period":"2023","indicator":"happiness_index","value":"9","unit":""'),
        ]),
      },
    ],
    records: 5,
    expect: some(4, "unknown_indicator"),
  }),
  (id) => ({
    ...wideCsv(
      "columns",
      "a header naming a value column twice: the file refused at line 1, not one of the two kept silently",
      toCsv([...WIDE_HEADER, WIDE_COLUMNS.urban], WIDE),
      1,
      refused("duplicate_column"),
    )(id),
    check: async (q) =>
      expect(
        await q(
          "SELECT source_uri, source_position, CAST(reasons AS VARCHAR) AS reasons FROM quarantine WHERE feed = $1",
          [`corpus-${id}`],
        ),
      ).toEqual([
        {
          source_uri: "data.csv",
          source_position: "line 1",
          reasons: expect.stringContaining(`names column ${WIDE_COLUMNS.urban} twice (columns 4 and 6)`),
        },
      ]),
  }),
];
