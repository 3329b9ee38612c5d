import { FeedSpec } from "../../../schemas/index.ts";

/** A feed spec for tests: a wide income layout unless told otherwise. */
export function testSpec(overrides: Record<string, unknown> = {}): FeedSpec {
  return FeedSpec.parse({
    id: "test-feed",
    name: "test",
    department: { code: "stats", name: "统计局" },
    connector: { kind: "file-drop", path: "test" },
    format: { kind: "csv" },
    layout: {
      kind: "wide",
      region: "地区",
      period: "年份",
      columns: { 居民人均可支配收入: { indicator: "disposable_income_per_capita" } },
    },
    frequency: "annual",
    ...overrides,
  });
}

/** A long layout (region, indicator, period, value) as JSON and NDJSON feeds have it. */
export const LONG_LAYOUT = {
  kind: "long",
  region: "region",
  indicator: "indicator",
  period: "period",
  value: "value",
  unit: "unit",
} as const;
