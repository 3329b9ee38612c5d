import { describe, expect, it } from "vitest";
import { defaultCatalog, Region } from "../../schemas/catalog.ts";
import { createRegionResolver, regionNameKey, resolveRegion } from "../../schemas/regions.ts";
import type { RegionResolution } from "../../schemas/regions.ts";

const regions = defaultCatalog().regions;

function codeOf(result: RegionResolution): string | undefined {
  return result.ok ? result.region.code : undefined;
}

describe("resolveRegion over every catalog region", () => {
  it.each(regions.map((r) => [r.nameZh, r] as const))(
    "finds %s by code, 12-digit code, full name, short name and pinyin",
    (_, r) => {
      for (const spelling of [
        r.code,
        `${r.code}000000`,
        r.nameZh,
        r.nameShort,
        r.pinyin,
        r.pinyin.toUpperCase(),
        r.pinyin.replace("'", ""),
      ]) {
        expect(codeOf(resolveRegion(spelling)), spelling).toBe(r.code);
      }
    },
  );

  it("finds every county by short name within its own prefecture", () => {
    for (const r of regions.filter((x) => x.level === "county")) {
      expect(codeOf(resolveRegion(r.nameShort, { parent: r.parentCode ?? "" })), r.nameZh).toBe(r.code);
    }
  });
});

describe("resolveRegion on the spellings found in sources", () => {
  it.each([
    ["３３０１００", "330100"],
    ["330100000000", "330100"],
    ["  杭州市 ", "330100"],
    ["\u3000杭州\u3000", "330100"],
    ["Hangzhou", "330100"],
    ["hangzhou shi", "330100"],
    ["Hangzhou City", "330100"],
    ["HANGZHOU", "330100"],
    ["Ｈａｎｇｚｈｏｕ", "330100"],
    ["Chun'an", "330127"],
    ["Chun’an", "330127"],
    ["chunan", "330127"],
    ["Chunan County", "330127"],
    ["Chun'an Xian", "330127"],
    ["淳安", "330127"],
    ["淳安县", "330127"],
    ["Zhejiang Province", "330000"],
    ["浙江", "330000"],
    ["Shangcheng District", "330102"],
    ["上城", "330102"],
    ["Jiande City", "330182"],
    ["建德", "330182"],
    ["景宁", "331127"],
    ["景宁县", "331127"],
    ["景宁自治县", "331127"],
    ["Jingning She Autonomous County", "331127"],
    ["杭州市上城区", "330102"],
    ["浙江省杭州市", "330100"],
    ["浙江省丽水市景宁畲族自治县", "331127"],
  ])("resolves %j to %s", (input, code) => {
    expect(codeOf(resolveRegion(input))).toBe(code);
  });

  it("resolves 江北 to Ningbo's district, the only 江北 in Zhejiang", () => {
    expect(codeOf(resolveRegion("江北"))).toBe("330205");
    expect(codeOf(resolveRegion("江北区", { parent: "宁波" }))).toBe("330205");
  });

  it("refuses a name that exists but not under the given parent", () => {
    const result = resolveRegion("江北", { parent: "Hangzhou" });
    expect(result).toMatchObject({ ok: false, reason: "unknown", input: "江北" });
    expect(result.ok ? [] : result.candidates.map((c) => c.code)).toEqual(["330205"]);
  });

  it("reports an unresolvable parent hint as the failing input", () => {
    expect(resolveRegion("上城", { parent: "Atlantis" })).toMatchObject({
      ok: false,
      reason: "unknown",
      input: "Atlantis",
    });
  });
});

describe("resolveRegion on unknown input", () => {
  it("offers the three closest regions for a misspelt pinyin", () => {
    const result = resolveRegion("Hanzhou");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe("unknown");
    expect(result.candidates).toHaveLength(3);
    expect(result.candidates[0]).toMatchObject({ code: "330100", nameZh: "杭州市" });
    expect(result.candidates[0]?.score).toBeGreaterThan(result.candidates[2]?.score ?? 1);
  });

  it("offers the right city first for a wrong hanzi", () => {
    const result = resolveRegion("温洲市");
    expect(result.ok ? undefined : result.candidates[0]?.code).toBe("330300");
  });

  it("offers nearby codes for an unknown code", () => {
    const result = resolveRegion("330199");
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.candidates.map((c) => c.code)).toContain("330100");
  });

  it("rejects empty and blank input with no candidates", () => {
    expect(resolveRegion(" \u3000")).toEqual({ ok: false, reason: "unknown", input: " \u3000", candidates: [] });
  });
});

describe("pinyin and name collisions", () => {
  const fake = Region.parse({
    code: "339901",
    nameZh: "鹿城县",
    nameShort: "鹿城",
    pinyin: "Lucheng",
    level: "county",
    parentCode: "330100",
    countyType: "county",
    mountain26: false,
    eco11: false,
    notes: "",
  });
  const resolver = createRegionResolver([...regions, fake]);

  it("finds no shared name, short name or pinyin among the shipped regions", () => {
    expect(createRegionResolver(regions).collisions()).toEqual([]);
    const pinyin = regions.map((r) => regionNameKey(r.pinyin));
    expect(new Set(pinyin).size).toBe(pinyin.length);
  });

  it("detects a pinyin and short-name collision between two regions", () => {
    expect(resolver.collisions()).toEqual(
      expect.arrayContaining([
        { key: "lucheng", codes: ["330302", "339901"] },
        { key: "鹿城", codes: ["330302", "339901"] },
      ]),
    );
  });

  it("reports a colliding name as ambiguous with both regions as candidates", () => {
    const result = resolver.resolve("Lucheng");
    expect(result).toMatchObject({ ok: false, reason: "ambiguous" });
    expect(result.ok ? [] : result.candidates.map((c) => c.code)).toEqual(["330302", "339901"]);
  });

  it("settles a colliding name with a parent hint", () => {
    expect(codeOf(resolver.resolve("鹿城", { parent: "温州" }))).toBe("330302");
    expect(codeOf(resolver.resolve("Lucheng", { parent: "330100" }))).toBe("339901");
  });

  it("still resolves a colliding region by its unique full name or code", () => {
    expect(codeOf(resolver.resolve("鹿城区"))).toBe("330302");
    expect(codeOf(resolver.resolve("339901"))).toBe("339901");
  });
});
