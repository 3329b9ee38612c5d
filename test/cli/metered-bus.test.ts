import { describe, expect, it } from "vitest";
import { createEmbeddedBus } from "../../bus/index.ts";
import { HEADERS, ObservationBatchBuilder, RawBatchBuilder, topicNames } from "../../schemas/index.ts";
import { createMetrics } from "../../runtime/metrics.ts";
import { countLoaded, meterBus, stageOfGroup } from "../../cli/metered-bus.ts";
import { parseExposition } from "../runtime/prom-text.ts";

const topics = topicNames("t");
const feed = "stats-bureau-income";

describe("metered bus", () => {
  it("counts records ingested, normalised and rejected per feed, and times consumed batches", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const bus = meterBus(createEmbeddedBus(), metrics, topics);
    // A stand-in transform: each raw record becomes one observation, except "bad" ones, which become dead letters.
    await bus.runProcessor({
      groupId: "t-transform",
      topics: [topics.raw(feed)],
      handle: async (batch, out) => {
        out.send(
          topics.observations,
          batch
            .filter((m) => m.value !== "bad")
            .map((m) => ({ key: m.key, value: m.value, headers: { [HEADERS.feed]: feed } })),
        );
        out.send(
          topics.dlqTransform,
          batch
            .filter((m) => m.value === "bad")
            .map((m) => ({ key: m.key, value: m.value, headers: { [HEADERS.feed]: feed } })),
        );
      },
    });
    const loaded: unknown[] = [];
    await bus.runSink({
      groupId: "t-load",
      topics: [topics.observations, topics.dlqTransform],
      storedPositions: async () => [],
      handle: async (batch) => void loaded.push(...batch),
    });

    await bus.publish(topics.raw(feed), [
      { key: "1", value: "ok" },
      { key: "2", value: "ok" },
      { key: "3", value: "bad" },
    ]);
    await bus.publish(topics.dlqIngest, [{ key: "4", value: "unreadable", headers: { [HEADERS.feed]: feed } }]);

    const scrape = parseExposition(await metrics.registry.metrics());
    expect(scrape.value("gongfu_records_ingested_total", { feed })).toBe(3);
    expect(scrape.value("gongfu_records_normalised_total", { feed })).toBe(2);
    expect(scrape.value("gongfu_records_rejected_total", { feed, stage: "transform" })).toBe(1);
    expect(scrape.value("gongfu_records_rejected_total", { feed, stage: "ingest" })).toBe(1);
    // A sink's handler has only staged what it returns from: loaded is counted by the loader (countLoaded).
    expect(scrape.value("gongfu_records_loaded_total", { feed })).toBeUndefined();
    expect(scrape.value("gongfu_batch_duration_seconds_count", { stage: "transform" })).toBe(1);
    expect(scrape.value("gongfu_batch_duration_seconds_count", { stage: "load" })).toBe(2);
    expect(loaded).toHaveLength(3);
  });

  it("counts the records a batch carries, not the batch", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const bus = meterBus(createEmbeddedBus(), metrics, topics);
    const source = { feed, uri: "a.csv", checksum: "ab".repeat(32), seq: 0 };
    const raw = new RawBatchBuilder({ ...source, receivedAt: "2026-01-05T07:59:00.000Z" });
    for (const line of [2, 3, 4]) raw.add({ line }, { 地区: "杭州市" }, "2025-01-20T00:00:00.000Z");
    const rawBatch = raw.build();
    const obs = new ObservationBatchBuilder({ ...source, ingestedAt: "2026-01-05T08:00:00.000Z" });
    obs.add("gdp", "330100", "2024", "亿元", 1, "2025-01-20T00:00:00.000Z", rawBatch.position, 0);
    // A cell sent without a value travels in the batch but is not an observation.
    obs.add("gdp", "330200", "2024", "亿元", Number.NaN, "2025-01-20T00:00:00.000Z", rawBatch.position, 1);
    await bus.publish(topics.raw(feed), [{ key: "k", value: rawBatch, headers: { [HEADERS.feed]: feed } }]);
    await bus.publish(topics.observations, [{ key: "k", value: obs.build(), headers: { [HEADERS.feed]: feed } }]);
    const s = parseExposition(await metrics.registry.metrics());
    expect(s.value("gongfu_records_ingested_total", { feed })).toBe(3);
    expect(s.value("gongfu_records_normalised_total", { feed })).toBe(1);
  });

  it("counts loaded observations per feed as the loader reports its committed merges", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const loaded = countLoaded(metrics);
    loaded(
      new Map([
        [feed, 3],
        ["health-api", 1],
      ]),
    );
    loaded(new Map([[feed, 2]]));
    const scrape = parseExposition(await metrics.registry.metrics());
    expect(scrape.value("gongfu_records_loaded_total", { feed })).toBe(5);
    expect(scrape.value("gongfu_records_loaded_total", { feed: "health-api" })).toBe(1);
  });

  it("names the stage of a consumer group after the topic prefix", () => {
    expect(stageOfGroup("t-transform", topics)).toBe("transform");
    expect(stageOfGroup("custom-group", topics)).toBe("custom-group");
  });
});
