import { afterEach, describe, expect, it } from "vitest";
import { comparable, expectedObservations } from "./expected-output.ts";
import { groupAssignments, waitUntil } from "./kafka-harness.ts";
import { createScenario, type Scenario } from "./scenario.ts";
import { printedStats, spawnTransform } from "./transform-process.ts";

let scenario: Scenario | undefined;
afterEach(async () => scenario?.close());

describe("gongfu transform on a real broker: two processes in one group", () => {
  it("share the partitions, both do work, and together publish exactly what embedded mode publishes, once", {
    timeout: 110_000,
  }, async () => {
    const s = (scenario = await createScenario("transform-scaling", 300));
    // Embedded mode runs the same normalisation: its observations are normalizeRecord's, record by record.
    expect(s.expected.filter((r) => r.startsWith('["observation"'))).toEqual(
      comparable(expectedObservations(s.input, s.topics), s.topics),
    );

    const group = `${s.prefix}-transform`;
    const a = spawnTransform({ brokers: s.brokers, prefix: s.prefix, instance: "a", batchSize: 6 });
    const b = spawnTransform({ brokers: s.brokers, prefix: s.prefix, instance: "b", batchSize: 6 });
    // Both members hold partitions before any input exists, so neither can take all the work.
    await waitUntil(
      async () => {
        const members = await groupAssignments(s.kafka, group);
        return members.length === 2 && members.every((m) => m.partitions > 0);
      },
      "both processes to hold partitions",
      60_000,
    );
    expect((await groupAssignments(s.kafka, group)).map((m) => m.clientId).sort()).toEqual(["gongfu-a", "gongfu-b"]);

    await s.produce();
    await waitUntil(() => s.committed.records.length >= s.expected.length, "all output committed", 60_000);
    a.child.kill("SIGTERM");
    b.child.kill("SIGTERM");
    expect(await a.exited, a.stderr()).toEqual({ code: 0, signal: null });
    expect(await b.exited, b.stderr()).toEqual({ code: 0, signal: null });

    const [statsA, statsB] = [printedStats(a), printedStats(b)];
    expect(statsA.records).toBeGreaterThan(0);
    expect(statsB.records).toBeGreaterThan(0);
    expect(statsA.records + statsB.records).toBe(s.input.length);
    expect(await s.committedOutput()).toEqual(s.expected);
    expect(await s.abortedOutput()).toBe(0);
  });

  it("take over partitions from each other mid-stream (a rebalance between transactions) without losing or doubling output", {
    timeout: 110_000,
  }, async () => {
    const s = (scenario = await createScenario("transform-rebalance", 1200));
    await s.produce();
    // Two records per transaction keeps the first instance busy long enough for the second to join.
    const a = spawnTransform({
      brokers: s.brokers,
      prefix: s.prefix,
      instance: "a",
      batchSize: 2,
      env: { GONGFU_LOG_LEVEL: "info" },
    });
    await waitUntil(() => s.committed.records.length >= 40, "the first instance's first commits", 60_000);
    const b = spawnTransform({ brokers: s.brokers, prefix: s.prefix, instance: "b", batchSize: 2 });
    await waitUntil(() => s.committed.records.length >= s.expected.length, "all output committed", 90_000);
    a.child.kill("SIGTERM");
    b.child.kill("SIGTERM");
    expect(await a.exited, a.stderr()).toEqual({ code: 0, signal: null });
    expect(await b.exited, b.stderr()).toEqual({ code: 0, signal: null });

    // The rebalance retired the first instance's producers: beyond its first three it fenced and opened more.
    const opened = a
      .stderr()
      .split("\n")
      .filter((line) => line.includes("partition producer ready")).length;
    expect(opened).toBeGreaterThan(3);
    expect(printedStats(b).records).toBeGreaterThan(0);
    expect(printedStats(a).records + printedStats(b).records).toBe(s.input.length);
    expect(await s.committedOutput()).toEqual(s.expected);
    expect(await s.abortedOutput()).toBe(0);
  });
});
