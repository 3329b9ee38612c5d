import { describe, expect, it } from "vitest";
import {
  DeadLetter,
  FeedSpecError,
  Observation,
  RawRecord,
  observationKey,
  parseFeedSpec,
  rawRecordKey,
  topicNames,
} from "../../schemas/index.ts";

const source = { feed: "stats-bureau-income", uri: "stats-bureau/income.csv", position: { line: 3 } };
const observation = {
  indicator: "disposable_income_per_capita",
  region: "330100",
  period: "2024",
  value: 79323,
  unit: "元",
  vintage: "2025-01-20T00:00:00.000Z",
  source,
  ingestedAt: "2026-01-01T00:00:00.000Z",
};

describe("the indicator model", () => {
  it("accepts a complete observation and keys it by indicator|region|period", () => {
    expect(Observation.parse(observation)).toEqual(observation);
    expect(observationKey(observation)).toBe("disposable_income_per_capita|330100|2024");
  });

  it.each([
    ["a non-finite value", { value: Number.POSITIVE_INFINITY }, "value"],
    ["a region that is not six digits", { region: "杭州" }, "region"],
    ["a period in a non-canonical form", { period: "2024年" }, "period"],
    ["a vintage that is not an ISO timestamp", { vintage: "yesterday" }, "vintage"],
  ])("rejects an observation with %s", (_what, patch, path) => {
    const result = Observation.safeParse({ ...observation, ...patch });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([path]);
  });

  it("accepts a raw record with string fields and rejects one with a number field", () => {
    const raw = {
      feed: "stats-bureau-income",
      source,
      checksum: "a".repeat(64),
      receivedAt: "2026-01-01T00:00:00Z",
      vintage: "2025-01-20T00:00:00Z",
      fields: { 地区: "杭州市", 收入: "79323" },
    };
    expect(RawRecord.parse(raw)).toEqual(raw);
    expect(rawRecordKey(raw)).toBe(`stats-bureau-income|${"a".repeat(16)}`);
    expect(RawRecord.safeParse({ ...raw, fields: { 收入: 79323 } }).success).toBe(false);
  });

  it("accepts a dead letter with a reason and rejects one without any", () => {
    const letter = {
      stage: "transform",
      feed: "stats-bureau-income",
      source,
      payload: { any: "thing" },
      reasons: [{ path: "fields.地区", code: "unknown_region", message: "unknown region" }],
      at: "2026-01-01T00:00:00Z",
    };
    expect(DeadLetter.parse(letter)).toEqual(letter);
    expect(DeadLetter.safeParse({ ...letter, reasons: [] }).success).toBe(false);
  });

  it("names topics under a prefix and matches every raw topic", () => {
    const t = topicNames("test.x");
    expect([t.raw("health"), t.observations, t.dlqTransform]).toEqual([
      "test.x.raw.health",
      "test.x.observations",
      "test.x.dlq.transform",
    ]);
    expect(t.rawPattern.test("test.x.raw.health")).toBe(true);
    expect(t.rawPattern.test("testxx.raw.health")).toBe(false);
  });
});

describe("feed spec files", () => {
  const good = `id: demo-feed
name: demo
department: { code: stats, name: 统计局 }
connector: { kind: file-drop, path: demo }
format: { kind: csv, encoding: gbk }
layout:
  kind: wide
  region: 地区
  period: 年份
  columns:
    收入: { indicator: disposable_income_per_capita, unit: 元 }
frequency: annual
`;

  it("parses a valid spec and fills defaults", () => {
    const spec = parseFeedSpec(good, "feeds/demo.yaml");
    expect(spec.format).toEqual({ kind: "csv", encoding: "gbk", delimiter: ",", skipLines: 0 });
    expect(spec.limits.maxRecordBytes).toBe(64 * 1024);
  });

  it("reports a bad field with the file, its line and the field path", () => {
    const bad = good.replace("encoding: gbk", "encoding: big5");
    expect(() => parseFeedSpec(bad, "feeds/demo.yaml")).toThrow(FeedSpecError);
    try {
      parseFeedSpec(bad, "feeds/demo.yaml");
    } catch (err) {
      expect((err as FeedSpecError).problems).toEqual([
        expect.objectContaining({ file: "feeds/demo.yaml", line: 5, field: "format.encoding" }),
      ]);
    }
  });

  it("reports a missing period with the line of the layout", () => {
    const noPeriod = good.replace("  period: 年份\n", "");
    expect(() => parseFeedSpec(noPeriod, "f.yaml")).toThrow(/f\.yaml:7: layout\.period: layout needs a period column/);
  });

  it("reports broken YAML with its line", () => {
    expect(() => parseFeedSpec("id: [unclosed\nname: x\n", "f.yaml")).toThrow(/f\.yaml:\d+: \(yaml\)/);
  });
});
