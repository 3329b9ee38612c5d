import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultCatalog } from "../../schemas/catalog.ts";
import {
  convertValue,
  parseQuantity,
  resolveUnit,
  roundSignificant,
  Unit,
  unitByCode,
  UNITS,
  unitsOfDimension,
} from "../../schemas/units.ts";

describe("Unit schema", () => {
  it("accepts a well-formed unit", () => {
    expect(
      Unit.safeParse({
        code: "万元",
        nameZh: "万元",
        nameEn: "10k yuan",
        dimension: "currency",
        factor: 1e4,
        aliases: [],
      }).success,
    ).toBe(true);
  });

  it("rejects an unknown dimension and a non-positive factor", () => {
    expect(
      Unit.safeParse({ code: "x", nameZh: "x", nameEn: "x", dimension: "mass", factor: 1, aliases: [] }).success,
    ).toBe(false);
    expect(
      Unit.safeParse({ code: "x", nameZh: "x", nameEn: "x", dimension: "currency", factor: 0, aliases: [] }).success,
    ).toBe(false);
  });
});

describe("resolveUnit", () => {
  it.each([
    ["元", "元"],
    ["yuan", "元"],
    ["YUAN", "元"],
    ["千元", "千元"],
    ["万元", "万元"],
    ["(万元)", "万元"],
    ["（万元）", "万元"],
    ["单位：万元", "万元"],
    ["10k yuan", "万元"],
    ["100m yuan", "亿元"],
    ["亿元", "亿元"],
    ["人", "人"],
    ["万人", "万人"],
    ["10k persons", "万人"],
    ["万名", "万名"],
    ["户", "户"],
    ["万户", "万户"],
    ["个", "个"],
    ["万个", "万个"],
    ["幢", "幢"],
    ["万幢", "万幢"],
    ["套", "套"],
    ["万套", "万套"],
    ["人次", "人次"],
    ["万人次", "万人次"],
    ["%", "%"],
    ["％", "%"],
    ["percent", "%"],
    ["‰", "‰"],
    ["百分点", "百分点"],
    ["个百分点", "百分点"],
    ["pp", "百分点"],
    ["岁", "岁"],
    ["年", "年"],
    ["years", "年"],
    ["μg/m³", "μg/m³"],
    ["µg/m³", "μg/m³"],
    ["ug/m3", "μg/m³"],
    ["μg/m3", "μg/m³"],
    ["ratio", "ratio"],
    ["倍", "倍"],
    ["元/人", "元/人"],
    ["万元/人", "万元/人"],
    ["per 10k", "per_10k"],
    ["每万人", "per_10k"],
    ["per_1k", "per_1k"],
    ["人/亿元GDP", "per_100m_gdp"],
  ])("resolves %j to %s", (spelling, code) => {
    expect(resolveUnit(spelling)?.code).toBe(code);
  });

  it("returns undefined for an unknown spelling", () => {
    expect(resolveUnit("furlongs")).toBeUndefined();
    expect(unitByCode("yuan")).toBeUndefined();
  });

  it("knows every unit used by the indicator catalog by its exact code", () => {
    for (const i of defaultCatalog().indicators) expect(unitByCode(i.unit), `${i.code}: ${i.unit}`).toBeDefined();
  });

  it("gives every dimension a base unit with factor 1", () => {
    const dimensions = new Set(UNITS.map((u) => u.dimension));
    for (const d of dimensions)
      expect(
        unitsOfDimension(d).some((u) => u.factor === 1),
        d,
      ).toBe(true);
  });
});

describe("convertValue", () => {
  it.each([
    [7.5, "万元", "元", 75000],
    [75000, "元", "万元", 7.5],
    [7.5, "万元", "亿元", 0.00075],
    [64613, "亿元", "万元", 646130000],
    [5, "‰", "%", 0.5],
    [6456.7588, "万人", "人", 64567588],
    [10, "万名", "人", 100000],
    [21, "万套", "套", 210000],
    [4.5, "per_1k", "per_10k", 45],
    [5.5, "万元/人", "元/人", 55000],
    [35, "μg/m³", "mg/m³", 0.035],
    [1.9, "倍", "ratio", 1.9],
  ])("converts %d %s to %d %s exactly", (value, from, to, expected) => {
    expect(convertValue(value, from, to)).toEqual({ ok: true, value: expected });
  });

  it("refuses to convert between dimensions and names both units", () => {
    const result = convertValue(1, "万元", "%");
    expect(result).toEqual({ ok: false, reason: "cannot convert 万元 (currency) to % (percent)" });
    expect(convertValue(1, "%", "百分点").ok).toBe(false);
    expect(convertValue(1, "岁", "年").ok).toBe(false);
    expect(convertValue(1, "万幢", "万套").ok).toBe(false);
  });

  it("refuses unknown units and non-finite values", () => {
    expect(convertValue(1, "furlongs", "元")).toEqual({ ok: false, reason: 'unknown unit "furlongs"' });
    expect(convertValue(Number.NaN, "元", "万元").ok).toBe(false);
  });

  it("accepts registry entries as well as spellings", () => {
    const wan = resolveUnit("万元");
    expect(wan && convertValue(2, wan, "yuan")).toEqual({ ok: true, value: 20000 });
  });

  it("round-trips any value between two units of one dimension within 1e-9 relative", () => {
    const pair = fc
      .constantFrom(...UNITS)
      .chain((a) => fc.tuple(fc.constant(a), fc.constantFrom(...unitsOfDimension(a.dimension))));
    fc.assert(
      fc.property(pair, fc.double({ min: -1e12, max: 1e12, noNaN: true }), ([a, b], value) => {
        const there = convertValue(value, a, b);
        if (!there.ok) throw new Error(there.reason);
        const back = convertValue(there.value, b, a);
        if (!back.ok) throw new Error(back.reason);
        expect(Math.abs(back.value - value)).toBeLessThanOrEqual(Math.abs(value) * 1e-9 + 1e-300);
      }),
    );
  });

  it("rounds to 12 significant digits to hide binary noise", () => {
    expect(roundSignificant(0.1 * 3)).toBe(0.3);
    expect(roundSignificant(0)).toBe(0);
  });
});

describe("parseQuantity", () => {
  it.each([
    ["7.5万元", 7.5, "万元"],
    ["75.2%", 75.2, "%"],
    ["75.2 %", 75.2, "%"],
    ["１，２３４．５（万人）", 1234.5, "万人"],
    ["1,100 万户", 1100, "万户"],
    ["-0.3个百分点", -0.3, "百分点"],
    ["35 ug/m3", 35, "μg/m³"],
    ["1.2e3 元", 1200, "元"],
  ])("splits %j into %d and %s", (text, value, code) => {
    const result = parseQuantity(text);
    expect(result.ok && [result.value, result.unit?.code]).toEqual([value, code]);
  });

  it("returns a bare number with no unit", () => {
    expect(parseQuantity(" 1.96 ")).toEqual({ ok: true, value: 1.96, unit: null });
  });

  it.each([
    ["about 5万元", /no number/],
    ["5 furlongs", /unknown unit "furlongs"/],
    ["", /no number/],
  ])("rejects %j with a reason", (text, reason) => {
    const result = parseQuantity(text);
    expect(result.ok ? "" : result.reason).toMatch(reason);
  });
});
