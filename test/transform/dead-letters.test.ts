import { describe, expect, it } from "vitest";
import { createEmbeddedBus, type Delivered } from "../../bus/index.ts";
import { DeadLetter, HEADERS, Observation, topicNames, type RawRecord } from "../../schemas/index.ts";
import { createLogger } from "../../runtime/logger.ts";
import { startTransform } from "../../transform/index.ts";
import { catalog, longSpec, rawRecord, wideSpec } from "./records.ts";

/** Runs records through the real transform on the embedded bus and returns what it emitted on each topic. */
async function transformOnEmbeddedBus(input: Array<{ topic: string; value: unknown }>) {
  const bus = createEmbeddedBus();
  const topics = topicNames("t-dead-letters");
  const seen = { observations: [] as Delivered[], dead: [] as Delivered[] };
  await bus.runSink({
    groupId: "obs",
    topics: [topics.observations],
    storedPositions: async () => [],
    handle: async (batch) => void seen.observations.push(...batch),
  });
  await bus.runSink({
    groupId: "dlq",
    topics: [topics.dlqTransform],
    storedPositions: async () => [],
    handle: async (batch) => void seen.dead.push(...batch),
  });
  const { stats } = await startTransform({
    bus,
    topics,
    specs: [wideSpec, longSpec],
    catalog,
    logger: createLogger({ level: "silent" }),
    now: () => new Date("2026-01-05T08:00:00Z"),
  });
  for (const { topic, value } of input)
    await bus.publish(topic.replace("PREFIX", topics.prefix), [{ key: "k", value }]);
  await bus.close();
  return { ...seen, stats };
}

describe("transform dead letters", () => {
  it("carries every reason with path, code and message, the original record and its source position", async () => {
    const badKeys = rawRecord(
      longSpec,
      { region: "Hangzou", period: "2014年", indicator: "gdp", value: "1", unit: "" },
      12,
    );
    const { dead, observations } = await transformOnEmbeddedBus([{ topic: "PREFIX.raw.test-long", value: badKeys }]);
    expect(observations).toEqual([]);
    expect(dead).toHaveLength(1);
    const letter = DeadLetter.parse(dead[0]!.value);
    expect(letter).toEqual({
      stage: "transform",
      feed: "test-long",
      source: badKeys.source,
      payload: badKeys,
      reasons: [
        {
          path: "fields.region",
          code: "unknown_region",
          message: expect.stringContaining("杭州市 (330100)"),
          candidates: expect.arrayContaining(["330100"]),
        },
        { path: "fields.period", code: "period_out_of_range", message: expect.stringContaining("2014") },
      ],
      at: "2026-01-05T08:00:00.000Z",
    });
    expect(dead[0]!.headers).toEqual({ [HEADERS.feed]: "test-long", [HEADERS.position]: "line 12" });
  });

  it("sends the good cells of a wide row on and one dead letter naming each bad cell", async () => {
    const row = rawRecord(
      wideSpec,
      {
        地区: "宁波",
        年份: "2023年",
        "居民人均可支配收入(元)": "73,869",
        常住人口城镇化率: "78.9%",
        地区生产总值: "16,452.8万",
        省级美丽城镇样板: "-4",
      },
      30,
    );
    const { dead, observations, stats } = await transformOnEmbeddedBus([{ topic: "PREFIX.raw.test-wide", value: row }]);
    expect(observations.map((o) => [o.key, Observation.parse(o.value).value])).toEqual([
      ["disposable_income_per_capita|330200|2023", 73869],
      ["urbanization_rate|330200|2023", 78.9],
    ]);
    const letter = DeadLetter.parse(dead[0]!.value);
    expect(letter.payload).toEqual(row);
    expect(letter.source.position).toEqual({ line: 30 });
    expect(letter.reasons.map((r) => [r.path, r.code])).toEqual([
      ["fields.地区生产总值", "unknown_unit"],
      ["fields.省级美丽城镇样板", "implausible"],
    ]);
    for (const reason of letter.reasons) expect(reason.message.length).toBeGreaterThan(10);
    expect(stats).toEqual({ records: 1, observations: 2, deadLetters: 1, missingCells: 0 });
  });

  it("dead-letters a payload that is not a raw record, with the topic position as its source", async () => {
    const { dead } = await transformOnEmbeddedBus([
      { topic: "PREFIX.raw.test-long", value: "not a record" },
      { topic: "PREFIX.raw.test-long", value: { feed: "test-long" } },
    ]);
    const [notObject, partial] = dead.map((d) => DeadLetter.parse(d.value));
    expect(notObject?.reasons).toEqual([{ path: "record", code: "schema_invalid_type", message: expect.any(String) }]);
    expect(notObject?.source).toEqual({
      feed: "unknown",
      uri: "t-dead-letters.raw.test-long/0",
      position: { offset: 0 },
    });
    expect(notObject?.payload).toBe("not a record");
    expect(partial?.reasons.map((r) => r.path)).toEqual(expect.arrayContaining(["source", "checksum", "fields"]));
  });

  it("dead-letters a record of a feed it has no spec for", async () => {
    const stranger: RawRecord = { ...rawRecord(longSpec, {}), feed: "stranger-feed" };
    const { dead } = await transformOnEmbeddedBus([{ topic: "PREFIX.raw.test-long", value: stranger }]);
    expect(DeadLetter.parse(dead[0]!.value).reasons).toEqual([
      { path: "feed", code: "unknown_feed", message: "no feed spec with id stranger-feed" },
    ]);
  });
});
