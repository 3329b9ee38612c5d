import { describe, expect, it } from "vitest";
import { Dimension, Indicator, Region, RegionCode, TargetOp } from "../../schemas/catalog.ts";

const target = {
  code: "urbanization_rate",
  nameZh: "常住人口城镇化率",
  nameEn: "Urbanization rate",
  dimension: "D3",
  unit: "%",
  direction: "higher",
  targetOp: ">=",
  targetValue: 75,
  targetYear: 2025,
  seedSection: "一",
  note: "",
  kind: "target",
  frequency: "annual",
  baseline2020: 72.17,
  baselineSource: "7th census",
} as const;
const supporting = {
  ...target,
  code: "gdp",
  targetOp: null,
  targetValue: null,
  targetYear: null,
  kind: "supporting",
} as const;
const county = {
  code: "330127",
  nameZh: "淳安县",
  nameShort: "淳安",
  pinyin: "Chun'an",
  level: "county",
  parentCode: "330100",
  countyType: "county",
  mountain26: true,
  eco11: true,
  notes: "",
} as const;

function issuePaths(result: {
  success: boolean;
  error?: { issues: readonly { path: readonly PropertyKey[] }[] };
}): string[] {
  return (result.error?.issues ?? []).map((i) => i.path.join("."));
}

describe("Indicator schema", () => {
  it("accepts a target, a trend target and a supporting series", () => {
    expect(Indicator.safeParse(target).success).toBe(true);
    expect(Indicator.safeParse({ ...target, targetOp: "trend_down", targetValue: null }).success).toBe(true);
    expect(Indicator.safeParse(supporting).success).toBe(true);
  });

  it("rejects a threshold target without a value", () => {
    expect(issuePaths(Indicator.safeParse({ ...target, targetValue: null }))).toEqual(["targetValue"]);
  });

  it("rejects a trend target that carries a value", () => {
    expect(issuePaths(Indicator.safeParse({ ...target, targetOp: "trend_up" }))).toEqual(["targetValue"]);
  });

  it("rejects a supporting series with a target", () => {
    expect(issuePaths(Indicator.safeParse({ ...supporting, targetOp: ">=" }))).toEqual(["targetOp"]);
  });

  it("rejects a baseline without a source, an unknown dimension and an unknown frequency", () => {
    expect(issuePaths(Indicator.safeParse({ ...target, baselineSource: "" }))).toEqual(["baselineSource"]);
    expect(Indicator.safeParse({ ...target, dimension: "D8" }).success).toBe(false);
    expect(Indicator.safeParse({ ...target, frequency: "weekly" }).success).toBe(false);
  });

  it("rejects a code that is not snake_case", () => {
    expect(Indicator.safeParse({ ...target, code: "Urbanization Rate" }).success).toBe(false);
  });
});

describe("TargetOp schema", () => {
  it("accepts the six comparisons and rejects others", () => {
    for (const op of [">=", ">", "<=", "<", "trend_up", "trend_down"])
      expect(TargetOp.safeParse(op).success).toBe(true);
    expect(TargetOp.safeParse("==").success).toBe(false);
  });
});

describe("Dimension schema", () => {
  it("accepts a dimension D1 to D7", () => {
    expect(
      Dimension.safeParse({ code: "D6", nameZh: "生态之美", nameEn: "Ecology", seedSection: "一 / 七" }).success,
    ).toBe(true);
  });

  it("rejects a dimension outside D1 to D7 or without a name", () => {
    expect(Dimension.safeParse({ code: "D0", nameZh: "x", nameEn: "x", seedSection: "" }).success).toBe(false);
    expect(Dimension.safeParse({ code: "D1", nameZh: "", nameEn: "x", seedSection: "" }).success).toBe(false);
  });
});

describe("Region schema", () => {
  it("accepts a county, a prefecture and the province", () => {
    expect(Region.safeParse(county).success).toBe(true);
    const city = {
      ...county,
      code: "330100",
      nameZh: "杭州市",
      nameShort: "杭州",
      pinyin: "Hangzhou",
      level: "prefecture",
      parentCode: "330000",
      countyType: null,
      mountain26: false,
      eco11: false,
    };
    expect(Region.safeParse(city).success).toBe(true);
    expect(
      Region.safeParse({
        ...city,
        code: "330000",
        nameZh: "浙江省",
        nameShort: "浙江",
        pinyin: "Zhejiang",
        level: "province",
        parentCode: null,
      }).success,
    ).toBe(true);
  });

  it("rejects a county without a parent or a type, and a province with a parent", () => {
    expect(issuePaths(Region.safeParse({ ...county, parentCode: null }))).toEqual(["parentCode"]);
    expect(issuePaths(Region.safeParse({ ...county, countyType: null }))).toEqual(["countyType"]);
    expect(issuePaths(Region.safeParse({ ...county, level: "province", countyType: null }))).toEqual(["parentCode"]);
  });

  it("rejects pinyin with tone marks and a short name that does not prefix the full name", () => {
    expect(issuePaths(Region.safeParse({ ...county, pinyin: "Chún'ān" }))).toEqual(["pinyin"]);
    expect(issuePaths(Region.safeParse({ ...county, nameShort: "千岛湖" }))).toEqual(["nameShort"]);
  });

  it("rejects codes that are not six digits", () => {
    expect(RegionCode.safeParse("330127").success).toBe(true);
    expect(RegionCode.safeParse("33012").success).toBe(false);
    expect(RegionCode.safeParse("330127000000").success).toBe(false);
  });
});
