import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DeadLetterReason,
  type FeedSpec,
  type Observation,
  type ObservationBatch,
  positionAt,
  RawBatchBuilder,
  type RawRecord,
  textAt,
} from "../../schemas/index.ts";
import { normalizeBatch } from "../../transform/normalize-batch.ts";
import { normalizeRecord } from "../../transform/normalize-record.ts";
import { context, longSpec, rawRecord, wideSpec } from "./records.ts";

// The batch path must give, row for row, what the record path gives: the same observations in the same order, the
// same dead-letter reasons, the same count of missing cells. Random rows mix good values with every kind of bad one.
const REGIONS = ["杭州市", "杭州", "330100", "宁波市", "全省", "普陀", "浙江省", "  温州市 ", "Hangzhou", "", "330000"];
const PERIODS = ["2024", "2024年", "2023年9月", "2025Q2", "2025-13", "1850", "二〇二四", "", "2024 年"];
const VALUES = ["74.2", "１２３", "8.5%", "1,234.5", "—", "", "abc", "-3", "1e3", "12万", "0", "99999999", "…", "n/a"];
const UNITS = ["", "%", "元", "万元", "万人", "套", "km"];
const LONG_INDICATORS = [
  "城镇化率",
  "人均可支配收入",
  "urbanization_rate",
  "gdp",
  "no_such_thing",
  "valueOf",
  " 城镇化率 ",
];

const pick = (xs: readonly string[]) => fc.constantFrom(...xs);
const maybe = (arb: fc.Arbitrary<string>) => fc.option(arb, { nil: undefined, freq: 5 });

const longFields = fc.record({
  region: maybe(pick(REGIONS)),
  period: maybe(pick(PERIODS)),
  indicator: maybe(pick(LONG_INDICATORS)),
  value: maybe(pick(VALUES)),
  unit: maybe(pick(UNITS)),
});
const wideFields = fc.record({
  地区: maybe(pick(REGIONS)),
  年份: maybe(pick(PERIODS)),
  "居民人均可支配收入(元)": maybe(pick(VALUES)),
  常住人口城镇化率: maybe(pick(VALUES)),
  "常住人口(万人)": maybe(pick(VALUES)),
  地区生产总值: maybe(pick(VALUES)),
});

const defined = (fields: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));

function observationsOf(b: ObservationBatch): Observation[] {
  return Array.from({ length: b.rows }, (_, i) => ({
    indicator: textAt(b.indicator, i)!,
    region: textAt(b.region, i)!,
    period: textAt(b.period, i)!,
    value: b.value[i]!,
    unit: textAt(b.unit, i)!,
    vintage: textAt(b.vintage, i)!,
    source: { feed: b.feed, uri: b.uri, position: positionAt(b.position, i) },
    ingestedAt: b.ingestedAt,
  }));
}

function compare(spec: FeedSpec, rows: Record<string, string>[]): void {
  const records: RawRecord[] = rows.map((fields, i) => rawRecord(spec, fields, i + 2));
  const ctx = context(spec);
  const expected = {
    observations: [] as Observation[],
    failed: [] as { row: number; reasons: DeadLetterReason[] }[],
    missing: 0,
  };
  records.forEach((r, row) => {
    const result = normalizeRecord(r, ctx);
    expected.observations.push(...result.observations);
    expected.missing += result.missing;
    const reasons =
      result.recordReasons.length > 0 ? result.recordReasons : result.rejectedCells.flatMap((c) => c.reasons);
    if (reasons.length > 0) expected.failed.push({ row, reasons });
  });
  const first = records[0]!;
  const builder = new RawBatchBuilder({
    feed: first.feed,
    uri: first.source.uri,
    checksum: first.checksum,
    receivedAt: first.receivedAt,
    seq: 0,
  });
  for (const r of records) builder.add(r.source.position, r.fields, r.vintage);
  const got = normalizeBatch(builder.build(), ctx);
  const all = observationsOf(got.observations);
  // Cells with a missing marker travel as rows of value NaN, recorded by the loader as not reported.
  expect(all.filter((o) => !Number.isNaN(o.value))).toEqual(expected.observations);
  expect(all.filter((o) => Number.isNaN(o.value))).toHaveLength(expected.missing);
  expect(got.observations.missing).toBe(expected.missing);
  expect(got.failed).toEqual(expected.failed);
  expect(got.missing).toBe(expected.missing);
}

describe("normalizeBatch gives what normalizeRecord gives, row for row", () => {
  it("long layout", () => {
    fc.assert(
      fc.property(fc.array(longFields, { minLength: 1, maxLength: 40 }), (rows) =>
        compare(longSpec, rows.map(defined)),
      ),
      { numRuns: 300 },
    );
  });

  it("wide layout", () => {
    fc.assert(
      fc.property(fc.array(wideFields, { minLength: 1, maxLength: 40 }), (rows) =>
        compare(wideSpec, rows.map(defined)),
      ),
      { numRuns: 300 },
    );
  });
});
