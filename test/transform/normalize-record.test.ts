import { describe, expect, it } from "vitest";
import { createRegionResolver, type Indicator } from "../../schemas/index.ts";
import { normalizeRecord } from "../../transform/index.ts";
import { catalog, context, INGESTED_AT, longSpec, rawRecord, wideSpec } from "./records.ts";

const long = (fields: Record<string, string>) =>
  normalizeRecord(rawRecord(longSpec, { region: "杭州市", period: "2024", unit: "", ...fields }), context(longSpec));
const wide = (fields: Record<string, string>) =>
  normalizeRecord(rawRecord(wideSpec, { 地区: "杭州市", 年份: "2024年", ...fields }), context(wideSpec));
const value = (fields: Record<string, string>) => {
  const r = long(fields);
  expect(r.recordReasons).toEqual([]);
  expect(r.rejectedCells).toEqual([]);
  expect(r.observations).toHaveLength(1);
  return r.observations[0]!.value;
};
const codes = (r: ReturnType<typeof long>) =>
  [...r.recordReasons, ...r.rejectedCells.flatMap((c) => c.reasons)].map((x) => x.code);

describe("normalizeRecord: layouts", () => {
  it("turns a long row into one observation in the indicator model", () => {
    const r = long({ indicator: "城镇化率", value: "74.2" });
    expect(r).toEqual({
      observations: [
        {
          indicator: "urbanization_rate",
          region: "330100",
          period: "2024",
          value: 74.2,
          unit: "%",
          vintage: "2025-01-20T00:00:00.000Z",
          source: { feed: "test-long", uri: "2024/bulletin.csv", position: { line: 7 } },
          ingestedAt: INGESTED_AT,
        },
      ],
      recordReasons: [],
      rejectedCells: [],
      missing: 0,
    });
  });

  it("passes a catalog code through a long row when the indicator map has no entry for it", () => {
    expect(long({ indicator: "gdp", value: "20,059" }).observations[0]).toMatchObject({
      indicator: "gdp",
      value: 20059,
      unit: "亿元",
    });
  });

  it("turns a wide row into one observation per mapped column, with the column in the source position", () => {
    const r = wide({
      "居民人均可支配收入(元)": "77,043",
      常住人口城镇化率: "84.2%",
      地区生产总值: "20059",
      备注: "not mapped",
    });
    expect(r.observations.map((o) => [o.indicator, o.value, o.unit, o.source.position])).toEqual([
      ["disposable_income_per_capita", 77043, "元", { line: 7, column: "居民人均可支配收入(元)" }],
      ["urbanization_rate", 84.2, "%", { line: 7, column: "常住人口城镇化率" }],
      ["gdp", 20059, "亿元", { line: 7, column: "地区生产总值" }],
    ]);
    expect(r.observations.every((o) => o.region === "330100" && o.period === "2024")).toBe(true);
  });

  it("keeps the good cells of a wide row and names each bad cell (one dead letter per record, never a lost good cell)", () => {
    const r = wide({
      "居民人均可支配收入(元)": "77,043",
      常住人口城镇化率: "184.2",
      地区生产总值: "n/a?",
      省级美丽城镇样板: "—",
    });
    expect(r.observations.map((o) => o.indicator)).toEqual(["disposable_income_per_capita"]);
    expect(r.missing).toBe(1);
    expect(r.rejectedCells.map((c) => [c.column, c.reasons.map((x) => [x.path, x.code])])).toEqual([
      ["常住人口城镇化率", [["fields.常住人口城镇化率", "implausible"]]],
      ["地区生产总值", [["fields.地区生产总值", "not_a_number"]]],
    ]);
  });

  it("rejects a record whose layout columns are absent, saying which", () => {
    expect(wide({ 其他: "1" }).recordReasons).toEqual([
      { path: "fields", code: "missing_field", message: expect.stringContaining("常住人口城镇化率") },
    ]);
    const noValue = normalizeRecord(
      rawRecord(longSpec, { region: "杭州", period: "2024", indicator: "gdp" }),
      context(longSpec),
    );
    expect(noValue.recordReasons).toEqual([
      { path: "fields.value", code: "missing_field", message: "value column value is missing" },
    ]);
  });
});

describe("normalizeRecord: units to the catalog unit", () => {
  it.each([
    ["万元 in the cell to 元", "人均可支配收入", "7.5万元", 75000],
    ["a percentage sign", "城镇化率", "75.2%", 75.2],
    ["a percentage sign after a space", "城镇化率", "75.2 %", 75.2],
    ["a full-width percentage", "城镇化率", "７５．２％", 75.2],
    ["per mille to percent", "城镇化率", "752‰", 75.2],
    ["万元 to 亿元", "gdp", "200,590,000万元", 20059],
    ["元 to 亿元", "gdp", "2.0059e12元", 20059],
    ["人 to 万人", "resident_population", "65,770,000人", 6577],
    ["万人 as the catalog unit", "resident_population", "6577万人", 6577],
  ])("converts %s", (_what, indicator, cell, expected) => {
    expect(value({ indicator, value: cell })).toBeCloseTo(expected, 9);
  });

  it("converts a unit declared by the long row's unit column or by the wide spec's column", () => {
    expect(value({ indicator: "人均可支配收入", value: "7.7", unit: "万元" })).toBe(77000);
    expect(wide({ "居民人均可支配收入(万元)": "7.7043" }).observations[0]?.value).toBe(77043);
    expect(wide({ "常住人口(万人)": "1,252.2" }).observations[0]?.value).toBe(1252.2);
  });

  it("converts 万人 to 人 when the catalog counts in persons", () => {
    const persons: Indicator = {
      ...catalog.indicator("resident_population")!,
      code: "registered_population",
      unit: "人",
    };
    const withPersons = {
      ...catalog,
      indicator: (code: string) => (code === persons.code ? persons : catalog.indicator(code)),
    };
    const r = normalizeRecord(
      rawRecord(longSpec, { region: "杭州", period: "2024", indicator: persons.code, value: "1,252.2万人", unit: "" }),
      context(longSpec, { catalog: withPersons }),
    );
    expect(r.observations[0]).toMatchObject({ indicator: "registered_population", value: 12_522_000, unit: "人" });
  });

  it("rejects a unit of another dimension (元 for a percentage) with both units named", () => {
    for (const r of [
      long({ indicator: "城镇化率", value: "75元" }),
      long({ indicator: "城镇化率", value: "75", unit: "元" }),
    ]) {
      expect(r.observations).toEqual([]);
      expect(r.rejectedCells[0]?.reasons).toEqual([
        {
          path: "fields.value",
          code: "unit_mismatch",
          message: expect.stringMatching(/元 \(currency\) to % \(percent\)/),
        },
      ]);
    }
  });

  it("rejects a unit nobody knows", () => {
    expect(long({ indicator: "gdp", value: "75 furlongs" }).rejectedCells[0]?.reasons).toEqual([
      { path: "fields.value", code: "unknown_unit", message: 'unit "furlongs" of "75 furlongs" is not a known unit' },
    ]);
  });
});

describe("normalizeRecord: numbers", () => {
  it.each([
    ["1,234", 1234],
    ["1,234,567.5", 1234567.5],
    ["12 345", 12345],
    ["1，234", 1234],
    ["６２８５９", 62859],
    ["62859.", 62859],
    ["+5", 5],
    ["1.2e3", 1200],
    [" 42 ", 42],
    ["0", 0],
  ])("reads %j as %d", (cell, expected) => {
    expect(value({ indicator: "gdp", value: cell })).toBe(expected);
  });

  it.each([["－0.5"], ["−0.5"], ["-0.5"]])("reads the minus of %j on an indicator that can fall", (cell) => {
    expect(value({ indicator: "dibao_vs_income_growth_gap", value: cell })).toBe(-0.5);
  });

  it.each([["1,5"], ["1,2345"], ["12,34,567"], ["(12)"], ["12.34.56"], ["约100"], ["1e999"], ["abc"]])(
    "rejects %j as not a number rather than guessing",
    (cell) => {
      const r = long({ indicator: "gdp", value: cell });
      expect(r.observations).toEqual([]);
      expect(codes(r)).toEqual(["not_a_number"]);
      expect(r.rejectedCells[0]?.reasons[0]?.message).toContain(cell);
    },
  );

  it.each([[""], ["—"], ["——"], ["-"], ["－"], ["…"], ["……"], ["/"], ["／"], ["  "], ["n/a"], ["无"]])(
    "counts %j as missing: no observation, no zero, no dead letter",
    (cell) => {
      const r = long({ indicator: "gdp", value: cell });
      expect(r).toEqual({ observations: [], recordReasons: [], rejectedCells: [], missing: 1 });
    },
  );

  it("counts missing cells of a wide row and keeps the others", () => {
    const r = wide({
      "居民人均可支配收入(元)": "77,043",
      常住人口城镇化率: "—",
      地区生产总值: "…",
      省级美丽城镇样板: "/",
    });
    expect(r.missing).toBe(3);
    expect(r.observations.map((o) => o.value)).toEqual([77043]);
  });
});

describe("normalizeRecord: regions and periods", () => {
  it.each([
    ["杭州"],
    ["杭州市"],
    ["Hangzhou"],
    ["hangzhou city"],
    ["330100"],
    ["３３０１００"],
    ["330100000000"],
    [" 杭州市 "],
  ])("resolves the region spelling %j to 330100", (region) => {
    expect(long({ region, indicator: "gdp", value: "1" }).observations[0]?.region).toBe("330100");
  });

  it("resolves a county written with its city in front", () => {
    expect(long({ region: "杭州市上城区", indicator: "gdp", value: "1" }).observations[0]?.region).toBe("330102");
  });

  it.each([
    ["2024", "2024"],
    ["2024年", "2024"],
    ["2024年度", "2024"],
    ["２０２４年", "2024"],
    ["2024Q3", "2024Q3"],
    ["2024年第三季度", "2024Q3"],
    ["2024年第3季度", "2024Q3"],
    ["2024年9月", "2024-09"],
    ["2024年十二月", "2024-12"],
    ["2024.09", "2024-09"],
  ])("reads the period %j as %s", (period, expected) => {
    expect(long({ period, indicator: "gdp", value: "1" }).observations[0]?.period).toBe(expected);
  });

  it("rejects an unknown region and names the closest matches", () => {
    const r = long({ region: "Hangzou", indicator: "gdp", value: "1" });
    expect(r.observations).toEqual([]);
    expect(r.recordReasons).toEqual([
      {
        path: "fields.region",
        code: "unknown_region",
        message: expect.stringContaining("杭州市 (330100)"),
        candidates: expect.arrayContaining(["330100"]),
      },
    ]);
    expect(r.recordReasons[0]?.candidates?.[0]).toBe("330100");
  });

  it("rejects an ambiguous region and lists every region it could be", () => {
    const putuo = catalog.region("330903")!;
    const twin = { ...putuo, code: "330199", parentCode: "330100", notes: "a second 普陀 for the test" };
    const ambiguous = createRegionResolver([...catalog.regions, twin]);
    const r = normalizeRecord(
      rawRecord(longSpec, { region: "普陀", period: "2024", indicator: "gdp", value: "1" }),
      context(longSpec, { regions: ambiguous }),
    );
    expect(r.recordReasons).toEqual([
      {
        path: "fields.region",
        code: "ambiguous_region",
        message: expect.stringContaining('ambiguous region "普陀"'),
        candidates: ["330903", "330199"],
      },
    ]);
  });

  it.each([["2014年"], ["2036"], ["2036年第一季度"]])(
    "rejects the period %j outside the plan's horizon 2015-2035",
    (period) => {
      const r = long({ period, indicator: "gdp", value: "1" });
      expect(r.observations).toEqual([]);
      expect(r.recordReasons).toEqual([
        { path: "fields.period", code: "period_out_of_range", message: expect.stringContaining("2015-2035") },
      ]);
    },
  );

  it("accepts the horizon's edges", () => {
    expect(long({ period: "2015", indicator: "gdp", value: "1" }).observations).toHaveLength(1);
    expect(long({ period: "2035年12月", indicator: "gdp", value: "1" }).observations).toHaveLength(1);
  });

  it("reports a bad region and a bad period of one record together", () => {
    const r = long({ region: "火星", period: "2024年第五季度", indicator: "gdp", value: "1" });
    expect(r.recordReasons.map((x) => [x.path, x.code])).toEqual([
      ["fields.region", "unknown_region"],
      ["fields.period", "bad_period"],
    ]);
  });

  it("uses the spec's fixed period when the source has no period column", () => {
    const spec = {
      ...longSpec,
      layout: { ...longSpec.layout, period: undefined, fixedPeriod: "2023年" },
    } as typeof longSpec;
    const r = normalizeRecord(rawRecord(spec, { region: "宁波", indicator: "gdp", value: "16,452.8" }), context(spec));
    expect(r.observations[0]).toMatchObject({ region: "330200", period: "2023", value: 16452.8 });
  });
});

describe("normalizeRecord: indicators and plausibility", () => {
  it("rejects an unknown indicator and suggests catalog codes", () => {
    const r = long({ indicator: "urbanisation_rate", value: "70" });
    expect(r.rejectedCells[0]?.reasons).toEqual([
      {
        path: "fields.indicator",
        code: "unknown_indicator",
        message: expect.stringContaining("closest: urbanization_rate"),
        candidates: expect.arrayContaining(["urbanization_rate"]),
      },
    ]);
  });

  it("reports an unknown indicator even when its value is missing", () => {
    expect(codes(long({ indicator: "no_such_thing", value: "—" }))).toEqual(["unknown_indicator"]);
  });

  it("rejects a percentage over 100 and accepts 0 and 100", () => {
    expect(codes(long({ indicator: "城镇化率", value: "100.1" }))).toEqual(["implausible"]);
    expect(codes(long({ indicator: "城镇化率", value: "1001‰" }))).toEqual(["implausible"]);
    expect(value({ indicator: "城镇化率", value: "100" })).toBe(100);
    expect(value({ indicator: "城镇化率", value: "0" })).toBe(0);
  });

  it("rejects a negative count, a negative percentage and a negative amount of money", () => {
    for (const [indicator, cell] of [
      ["provincial_model_towns", "-3"],
      ["城镇化率", "-1%"],
      ["人均可支配收入", "－52,397"],
      ["resident_population", "-1"],
    ] as const) {
      const r = long({ indicator, value: cell });
      expect(codes(r), `${indicator} ${cell}`).toEqual(["implausible"]);
      expect(r.rejectedCells[0]?.reasons[0]?.message).toMatch(/cannot be negative/);
    }
  });

  it("accepts a negative value where the indicator measures a change", () => {
    expect(value({ indicator: "hightech_value_added_annual_increase", value: "-12.5" })).toBe(-12.5);
    expect(value({ indicator: "dibao_vs_income_growth_gap", value: "-1.2个百分点" })).toBe(-1.2);
  });
});
