import { describe, expect, it } from "vitest";
import { createEmbeddedBus, type Delivered } from "../../bus/index.ts";
import { silentLogger } from "../../runtime/logger.ts";
import {
  type DeadLetter,
  observationBatchProblems,
  RawBatchBuilder,
  rawBatchProblems,
  topicNames,
} from "../../schemas/index.ts";
import { startTransform } from "../../transform/index.ts";
import { catalog, longSpec } from "./records.ts";

const good = () => {
  const b = new RawBatchBuilder({
    feed: longSpec.id,
    uri: "a.ndjson",
    checksum: "ab".repeat(32),
    receivedAt: "2026-01-05T07:59:00.000Z",
    seq: 0,
  });
  b.add(
    { line: 1 },
    { region: "杭州市", indicator: "城镇化率", period: "2024", value: "74.2" },
    "2025-01-20T00:00:00Z",
  );
  return b.build();
};

describe("a batch's shape is checked once, not its rows", () => {
  it("names what is wrong with a batch: provenance, vintages, codes outside the dictionary", () => {
    expect(rawBatchProblems(good())).toEqual([]);
    const b = good();
    const bad = {
      ...b,
      checksum: "not hex",
      vintage: { values: ["yesterday"], codes: b.vintage.codes },
      fields: [{ name: "region", column: { values: [], codes: new Int32Array([0]) } }],
    };
    const problems = rawBatchProblems(bad);
    expect(problems.some((p) => p.startsWith("checksum"))).toBe(true);
    expect(problems.some((p) => p.includes("vintage") && p.includes("yesterday"))).toBe(true);
    expect(problems.some((p) => p.includes("field region has a code outside its dictionary"))).toBe(true);
    const obs = {
      kind: "observations" as const,
      feed: "f-x",
      uri: "u",
      checksum: "ab".repeat(32),
      seq: 0,
      ingestedAt: "2026-01-05T08:00:00.000Z",
      rows: 1,
      missing: 0,
      indicator: { values: ["gdp"], codes: new Int32Array([0]) },
      region: { values: ["330100"], codes: new Int32Array([0]) },
      period: { values: ["2024年"], codes: new Int32Array([0]) },
      unit: { values: ["亿元"], codes: new Int32Array([0]) },
      vintage: { values: ["2025-01-20T00:00:00Z"], codes: new Int32Array([0]) },
      value: new Float64Array([1]),
      position: b.position,
    };
    expect(observationBatchProblems(obs)).toEqual([expect.stringContaining('period: "2024年"')]);
  });

  it("transform dead-letters a malformed batch whole, and normalises a good one", async () => {
    const bus = createEmbeddedBus();
    const topics = topicNames("shape");
    const dead: DeadLetter[] = [];
    await bus.runSink({
      groupId: "capture",
      topics: [topics.dlqTransform],
      handle: async (batch: Delivered[]) => void dead.push(...batch.map((d) => d.value as DeadLetter)),
      storedPositions: async () => [],
    });
    const { stats } = await startTransform({ bus, topics, specs: [longSpec], catalog, logger: silentLogger() });
    const b = good();
    await bus.publish(topics.raw(longSpec.id), [{ key: "k", value: { ...b, checksum: "nope" } }]);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.reasons[0]).toMatchObject({ path: "batch", code: "bad_batch" });
    // The batch is named, not copied column by column into the dead letter.
    expect(dead[0]!.payload).toEqual({ batch: "a.ndjson #0", rows: 1 });
    await bus.publish(topics.raw(longSpec.id), [{ key: "k", value: b }]);
    expect(stats.observations).toBe(1);
    expect(dead).toHaveLength(1);
    await bus.close();
  });
});
