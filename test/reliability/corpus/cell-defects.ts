import { seededRandom } from "../seeded-random.ts";
import {
  caseSpec,
  LONG_HEADER,
  longLayout,
  WIDE_COLUMNS,
  WIDE_HEADER,
  type Category,
  type CorpusCase,
} from "./case.ts";
import { toCsv, toJson, toNdjson, toXlsx, type Row } from "./render.ts";

/** One bad cell: where it goes (a value, the region or the period) and the reason code it must earn. */
interface Defect {
  category: Category;
  /** `value` breaks the value of an indicator (wide: one column of three); `unit` the declared unit (long only). */
  field: "value" | "region" | "period" | "unit";
  text: string;
  code: string;
  /** The indicator the bad value is for, when it matters (percentages, counts). */
  indicator?: "urban" | "people";
  /** Some bytes cannot be written into an XLSX at all (XML 1.0 forbids most control characters). */
  notInXlsx?: boolean;
}

const INJECTION = "=cmd|' /C calc'!A0";
const DEFECTS: Defect[] = [
  ...["abc", "十二", "1,5", "(12)", "12..5", "0x1F"].map((text) => ({
    category: "non-numeric" as const,
    field: "value" as const,
    text,
    code: text === "0x1F" ? "unknown_unit" : "not_a_number",
  })),
  ...["NaN", "Infinity", "-Infinity", "1e999", "nan"].map((text) => ({
    category: "nan-infinity" as const,
    field: "value" as const,
    text,
    code: "not_a_number",
  })),
  ...["-5", "-0.1", "－12"].map((text) => ({
    category: "negative-count" as const,
    field: "value" as const,
    text,
    code: "implausible",
    indicator: "people" as const,
  })),
  ...["150", "100.5%", "1000"].map((text) => ({
    category: "percent-over-100" as const,
    field: "value" as const,
    text,
    code: "implausible",
    indicator: "urban" as const,
  })),
  ...["火星市", "Hangzhuo", "33010", "东京都", "330100330100"].map((text) => ({
    category: "region" as const,
    field: "region" as const,
    text,
    code: "unknown_region",
  })),
  ...["普陀", "Putuo"].map((text) => ({
    category: "region" as const,
    field: "region" as const,
    text,
    code: "ambiguous_region",
  })),
  ...["2024-13", "2024Q5", "二〇二四", "2024H1", "24"].map((text) => ({
    category: "period" as const,
    field: "period" as const,
    text,
    code: "bad_period",
  })),
  ...["1899", "2099", "2036Q1"].map((text) => ({
    category: "period" as const,
    field: "period" as const,
    text,
    code: "period_out_of_range",
  })),
  { category: "unit", field: "value", text: "75万元", code: "unit_mismatch", indicator: "urban" },
  { category: "unit", field: "value", text: "7 furlongs", code: "unknown_unit" },
  { category: "control-chars", field: "value", text: "12\u0007", code: "unknown_unit", notInXlsx: true },
  { category: "control-chars", field: "region", text: "杭州市\u0000", code: "unknown_region", notInXlsx: true },
  { category: "control-chars", field: "region", text: "\u001b[31m杭州市", code: "unknown_region", notInXlsx: true },
  { category: "control-chars", field: "region", text: "杭\u200b州市", code: "unknown_region" },
  { category: "control-chars", field: "region", text: "\u202e市州杭", code: "unknown_region" },
  { category: "csv-injection", field: "region", text: INJECTION, code: "unknown_region" },
  { category: "csv-injection", field: "value", text: "=1+1", code: "not_a_number" },
  { category: "csv-injection", field: "value", text: "@SUM(1+9)*cmd|' /C calc'!A0", code: "not_a_number" },
  { category: "csv-injection", field: "value", text: "+1+cmd|' /C calc'!A0", code: "unknown_unit" },
  { category: "csv-injection", field: "period", text: '=HYPERLINK("http://x","2024")', code: "bad_period" },
];

/** Long-layout unit defects: a unit the indicator cannot be converted from, and no unit at all that we know. */
const UNIT_DEFECTS: Defect[] = [
  { category: "unit", field: "unit", text: "万元", code: "unit_mismatch" },
  { category: "unit", field: "unit", text: "furlongs", code: "unknown_unit" },
  { category: "unit", field: "unit", text: "元", code: "unit_mismatch" },
];

const REGIONS = [
  "浙江省",
  "杭州市",
  "宁波市",
  "温州市",
  "嘉兴市",
  "湖州市",
  "绍兴市",
  "金华市",
  "衢州市",
  "舟山市",
  "台州市",
  "丽水市",
  "西湖区",
  "淳安县",
  "330381",
];
const FORMATS = ["csv-wide", "csv-long", "xlsx-wide", "json-long", "ndjson-long"] as const;
type FormatName = (typeof FORMATS)[number];

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

function goodWide(random: () => number): Row {
  return {
    地区: pick(random, REGIONS),
    年份: String(2020 + Math.floor(random() * 6)),
    [WIDE_COLUMNS.income]: String(40000 + Math.floor(random() * 40000)),
    [WIDE_COLUMNS.urban]: (60 + random() * 30).toFixed(1),
    [WIDE_COLUMNS.people]: String(100 + Math.floor(random() * 900)),
  };
}

function goodLong(random: () => number): Row {
  return random() < 0.5
    ? {
        region: pick(random, REGIONS),
        period: String(2020 + Math.floor(random() * 6)),
        indicator: "urbanization_rate",
        value: (60 + random() * 30).toFixed(1),
        unit: "%",
      }
    : {
        region: pick(random, REGIONS),
        period: String(2020 + Math.floor(random() * 6)),
        indicator: "resident_population",
        value: String(100 + Math.floor(random() * 900)),
        unit: "万人",
      };
}

function breakRow(row: Row, d: Defect, wide: boolean): Row {
  const bad = { ...row };
  if (d.field === "region") bad[wide ? "地区" : "region"] = d.text;
  else if (d.field === "period") bad[wide ? "年份" : "period"] = d.text;
  else if (d.field === "unit") Object.assign(bad, { indicator: "urbanization_rate", value: "12", unit: d.text });
  else if (wide)
    bad[
      d.indicator === "urban"
        ? WIDE_COLUMNS.urban
        : d.indicator === "people"
          ? WIDE_COLUMNS.people
          : WIDE_COLUMNS.income
    ] = d.text;
  else
    Object.assign(bad, {
      indicator:
        d.indicator === "urban"
          ? "urbanization_rate"
          : d.indicator === "people"
            ? "resident_population"
            : "disposable_income_per_capita",
      value: d.text,
      unit: "",
    });
  return bad;
}

const missingRow = (wide: boolean, random: () => number): Row =>
  wide
    ? { ...goodWide(random), [WIDE_COLUMNS.income]: "—", [WIDE_COLUMNS.urban]: "", [WIDE_COLUMNS.people]: "无" }
    : { ...goodLong(random), value: pick(random, ["—", "-", "…", "NA", "无"]) };

async function render(format: FormatName, rows: Row[]): Promise<{ name: string; bytes: Buffer | string }> {
  switch (format) {
    case "csv-wide":
      return { name: "data.csv", bytes: toCsv(WIDE_HEADER, rows) };
    case "csv-long":
      return { name: "data.csv", bytes: toCsv(LONG_HEADER, rows) };
    case "xlsx-wide":
      return { name: "data.xlsx", bytes: await toXlsx(WIDE_HEADER, rows) };
    case "json-long":
      return { name: "data.json", bytes: toJson(rows) };
    case "ndjson-long":
      return { name: "data.ndjson", bytes: toNdjson(rows) };
  }
}

function formatSpec(id: string, format: FormatName) {
  if (format === "csv-wide") return caseSpec(id, { kind: "csv" });
  if (format === "csv-long") return caseSpec(id, { kind: "csv" }, longLayout());
  if (format === "xlsx-wide") return caseSpec(id, { kind: "xlsx" });
  if (format === "json-long") return caseSpec(id, { kind: "json", dataPath: "data" });
  return caseSpec(id, { kind: "ndjson" });
}

/**
 * Generated cases, deterministic by seed: for every format and every cell defect, a file of a few good rows with
 * the bad row at a random place, and sometimes a row of missing-value markers. The good rows must load, the bad
 * one must be dead-lettered with its code, the missing one neither.
 */
export async function cellDefectCases(seed: number): Promise<CorpusCase[]> {
  const random = seededRandom(seed);
  const out: CorpusCase[] = [];
  for (const format of FORMATS) {
    const wide = format.endsWith("wide");
    const defects = [...DEFECTS, ...(wide ? [] : UNIT_DEFECTS)].filter((d) => !(format === "xlsx-wide" && d.notInXlsx));
    for (const [i, d] of defects.entries()) {
      const good = 1 + Math.floor(random() * 4);
      const withMissing = random() < 0.3;
      const rows = Array.from({ length: good }, () => (wide ? goodWide(random) : goodLong(random)));
      rows.splice(Math.floor(random() * (good + 1)), 0, breakRow(wide ? goodWide(random) : goodLong(random), d, wide));
      if (withMissing) rows.splice(Math.floor(random() * (rows.length + 1)), 0, missingRow(wide, random));
      const id = `g-${format}-${i}`;
      out.push({
        id,
        category: d.category,
        name: `${format}: ${d.field} ${JSON.stringify(d.text)} → ${d.code}`,
        spec: formatSpec(id, format),
        files: [await render(format, rows)],
        records: rows.length,
        expect: { loaded: good, dead: 1, missing: withMissing ? 1 : 0, codes: [d.code] },
      });
    }
    for (let k = 0; k < 2; k++) {
      const rows = [wide ? goodWide(random) : goodLong(random), missingRow(wide, random), missingRow(wide, random)];
      const id = `g-${format}-missing-${k}`;
      out.push({
        id,
        category: "missing-markers",
        name: `${format}: rows of missing-value markers`,
        spec: formatSpec(id, format),
        files: [await render(format, rows)],
        records: 3,
        expect: { loaded: 1, dead: 0, missing: 2, codes: [] },
      });
    }
  }
  return out;
}
