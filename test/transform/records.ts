import { createRegionResolver, defaultCatalog, FeedSpec, type Catalog, type RawRecord } from "../../schemas/index.ts";
import type { NormalizeContext } from "../../transform/normalize-record.ts";

export const catalog: Catalog = defaultCatalog();
export const regions = createRegionResolver(catalog.regions);
export const INGESTED_AT = "2026-01-05T08:00:00.000Z";

const base = {
  name: "test feed",
  department: { code: "test", name: "测试部门" },
  connector: { kind: "file-drop", path: "test" },
  format: { kind: "csv" },
  frequency: "annual",
};

/** A wide feed: one row per region and year, one column per indicator (units declared per column or in the cell). */
export const wideSpec: FeedSpec = FeedSpec.parse({
  ...base,
  id: "test-wide",
  layout: {
    kind: "wide",
    region: "地区",
    period: "年份",
    columns: {
      "居民人均可支配收入(元)": { indicator: "disposable_income_per_capita", unit: "元" },
      "居民人均可支配收入(万元)": { indicator: "disposable_income_per_capita", unit: "万元" },
      "常住人口城镇化率": { indicator: "urbanization_rate" },
      "常住人口(万人)": { indicator: "resident_population", unit: "万人" },
      "地区生产总值": { indicator: "gdp" },
      "省级美丽城镇样板": { indicator: "provincial_model_towns" },
    },
  },
});

/** A long feed: one row per region, indicator and period, with an optional unit column and a name map. */
export const longSpec: FeedSpec = FeedSpec.parse({
  ...base,
  id: "test-long",
  layout: {
    kind: "long",
    region: "region",
    indicator: "indicator",
    period: "period",
    value: "value",
    unit: "unit",
    indicatorMap: { 城镇化率: "urbanization_rate", 人均可支配收入: "disposable_income_per_capita" },
  },
});

export function rawRecord(feed: FeedSpec, fields: Record<string, string>, line = 7): RawRecord {
  return {
    feed: feed.id,
    source: { feed: feed.id, uri: "2024/bulletin.csv", position: { line } },
    checksum: "ab".repeat(32),
    receivedAt: "2026-01-05T07:59:00.000Z",
    vintage: "2025-01-20T00:00:00.000Z",
    fields,
  };
}

export function context(spec: FeedSpec, overrides: Partial<NormalizeContext> = {}): NormalizeContext {
  return { spec, catalog, regions, ingestedAt: INGESTED_AT, ...overrides };
}
