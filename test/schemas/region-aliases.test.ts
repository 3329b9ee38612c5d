import { describe, expect, it } from "vitest";
import {
  FeedSpecError,
  createRegionResolver,
  defaultCatalog,
  feedRegionResolver,
  parseFeedSpec,
  resolveRegion,
} from "../../schemas/index.ts";
import { testSpec } from "../ingest/helpers/specs.ts";

const code = (r: ReturnType<typeof resolveRegion>) => (r.ok ? r.region.code : `not ok: ${r.reason}`);

describe("region aliases", () => {
  it("resolves a feed's own words for a region (全省, 合计) with the resolver made from its spec", () => {
    const spec = testSpec({ regions: { aliases: { 全省: "330000", 合计: "330100" } } });
    const regions = feedRegionResolver(defaultCatalog(), spec);
    expect(code(regions.resolve("全省"))).toBe("330000");
    expect(code(regions.resolve(" 合 计 "))).toBe("330100");
    expect(code(regions.resolve("杭州"))).toBe("330100");
    // Another feed without the alias still refuses it.
    expect(code(feedRegionResolver(defaultCatalog(), testSpec()).resolve("全省"))).toBe("not ok: unknown");
  });

  it("resolves historical names and GB/T 2260 codes from the catalog's alias table, each with its source", () => {
    expect(code(resolveRegion("330185"))).toBe("330112"); // 临安市 → 杭州市临安区, 2017
    expect(code(resolveRegion("江干区"))).toBe("330102");
    expect(code(resolveRegion("下城区"))).toBe("330105");
    expect(code(resolveRegion("330322"))).toBe("330305");
    for (const a of defaultCatalog().regionAliases) expect(a.source).toMatch(/民政部/);
  });

  it("lets a feed's alias win over the catalog, and ignores an alias to a code it does not have", () => {
    const regions = defaultCatalog().regions;
    const r = createRegionResolver(regions, [
      { alias: "江干区", code: "330102" },
      { alias: "江干区", code: "330114" },
      { alias: "某地", code: "999999" },
    ]);
    expect(code(r.resolve("江干区"))).toBe("330114");
    expect(code(r.resolve("某地"))).toBe("not ok: unknown");
  });

  it("refuses, at the spec's line, an alias to a region the catalog lacks", () => {
    const yaml = `id: xx
name: x
department: { code: d, name: d }
connector: { kind: file-drop, path: x }
format: { kind: csv }
layout: { kind: wide, region: r, period: p, columns: {} }
regions:
  aliases:
    全省: "330000"
    全市: "339900"
frequency: annual
`;
    expect(() => parseFeedSpec(yaml, "x.yaml")).not.toThrow();
    let err: unknown;
    try {
      parseFeedSpec(yaml, "x.yaml", { catalog: defaultCatalog() });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FeedSpecError);
    expect((err as FeedSpecError).problems).toEqual([
      { file: "x.yaml", line: 10, field: "regions.aliases.全市", message: "339900 is not a region of the catalog" },
    ]);
  });
});
