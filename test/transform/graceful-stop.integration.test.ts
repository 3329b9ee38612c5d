import { afterEach, describe, expect, it } from "vitest";
import { groupAssignments, waitUntil } from "./kafka-harness.ts";
import { createScenario, type Scenario } from "./scenario.ts";
import { printedStats, spawnTransform } from "./transform-process.ts";

let scenario: Scenario | undefined;
afterEach(async () => scenario?.close());

describe("gongfu transform on a real broker: graceful stop", () => {
  it("commits the open batch on SIGTERM mid-stream, leaves the group and exits 0; a restart completes the output exactly once", {
    timeout: 110_000,
  }, async () => {
    const s = (scenario = await createScenario("transform-sigterm", 300));
    await s.produce();

    const first = spawnTransform({ brokers: s.brokers, prefix: s.prefix, instance: "graceful", batchSize: 6 });
    await waitUntil(() => s.committed.records.length >= 80, "the first committed output", 60_000);
    first.child.kill("SIGTERM");
    expect(await first.exited, first.stderr()).toEqual({ code: 0, signal: null });
    const stopped = printedStats(first);
    // Stopped mid-stream: some records done, not all.
    expect(stopped.records).toBeGreaterThan(0);
    expect(stopped.records).toBeLessThan(s.input.length);
    // Nothing left open or aborted: the batch in flight was committed, not abandoned.
    expect(await s.pendingOutput()).toBe(0);
    expect(await s.abortedOutput()).toBe(0);
    // It left the group instead of waiting out its session.
    expect(await groupAssignments(s.kafka, `${s.prefix}-transform`)).toEqual([]);

    const second = spawnTransform({
      brokers: s.brokers,
      prefix: s.prefix,
      instance: "graceful",
      batchSize: 6,
      extraArgs: ["--until-idle"],
    });
    expect(await second.exited, second.stderr()).toEqual({ code: 0, signal: null });
    // Every raw record was handled exactly once across the two runs.
    expect(stopped.records + printedStats(second).records).toBe(s.input.length);
    expect(await s.committedOutput()).toEqual(s.expected);
    expect(await s.abortedOutput()).toBe(0);
  });

  it("stops cleanly on SIGINT while still idle, with nothing to do", { timeout: 60_000 }, async () => {
    const s = (scenario = await createScenario("transform-sigint", 0));
    const p = spawnTransform({ brokers: s.brokers, prefix: s.prefix, instance: "idle" });
    await waitUntil(
      async () => (await groupAssignments(s.kafka, `${s.prefix}-transform`)).length === 1,
      "the process to join its group",
      40_000,
    );
    p.child.kill("SIGINT");
    expect(await p.exited, p.stderr()).toEqual({ code: 0, signal: null });
    expect(printedStats(p)).toEqual({ records: 0, observations: 0, deadLetters: 0, missingCells: 0 });
  });
});
