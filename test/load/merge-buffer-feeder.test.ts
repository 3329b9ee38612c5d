import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DuckDBConnection } from "@duckdb/node-api";
import { createMergeBuffer, startLoad, storedPositions } from "../../load/index.ts";
import { createMergeBufferFeeder, cutDelivery, type DecodedDelivery } from "../../load/merge-buffer-feeder.ts";
import type { ObservationRow } from "../../load/observation-list.ts";
import { createEmbeddedBus } from "../../bus/index.ts";
import { defaultCatalog, topicNames, type DeadLetter } from "../../schemas/index.ts";
import { silentLogger } from "../../runtime/logger.ts";
import { delivered, observation, rows, scratchWarehouse, tempDir } from "./fixtures.ts";

const letter: DeadLetter = {
  stage: "transform",
  feed: "f",
  source: { feed: "f", uri: "u", position: { line: 1 } },
  payload: null,
  reasons: [{ path: "", code: "c", message: "m" }],
  at: "2024-01-01T00:00:00.000Z",
};

/** A delivery of partition `partition`: "o" an observation, "d" a dead letter, at the given offsets. */
function delivery(
  kinds: string,
  offsets: number[],
  positions: DecodedDelivery["positions"],
  partition = 0,
): DecodedDelivery<ObservationRow[]> {
  const d: DecodedDelivery<ObservationRow[]> = {
    observations: [],
    deadLetters: [],
    observationAt: [],
    deadLetterAt: [],
    positions,
  };
  [...kinds].forEach((k, i) => {
    const offset = offsets[i]!;
    if (k === "o") {
      d.observations.push({
        ...delivered(observation({ source: { feed: "f", uri: "u", position: { line: offset + 2 } } }), offset),
        partition,
      });
      d.observationAt.push(i);
    } else {
      d.deadLetters.push({ letter, topic: "t.observations", partition, offset: String(offset) });
      d.deadLetterAt.push(i);
    }
  });
  return d;
}
const offsetsOf = (d: DecodedDelivery<ObservationRow[]>) => [
  d.observations.map((r) => r.offset),
  d.deadLetters.map((r) => r.offset),
];
const at = (partition: number, offset: number) => ({ topic: "t.observations", partition, offset: String(offset) });

describe("cutDelivery", () => {
  it(
    "cuts after the room-th observation: the head ends there, with the next offset as its " +
      "position, and takes the dead letters before it",
    () => {
      // Offsets with a gap (a transaction marker at 13); the delivery's position may lie past its last record.
      const d = delivery("odoood", [10, 11, 12, 14, 15, 16], [at(0, 18)]);
      const [head, rest] = cutDelivery(d, 2);
      expect(offsetsOf(head)).toEqual([["10", "12"], ["11"]]);
      expect(head.positions).toEqual([at(0, 13)]);
      expect(offsetsOf(rest!)).toEqual([["14", "15"], ["16"]]);
      expect(rest!.positions).toEqual([at(0, 18)]);
      expect(rest!.observationAt).toEqual([3, 4]);
      expect(rest!.deadLetterAt).toEqual([5]);
    },
  );

  it("leaves a delivery with no more observations than the room as it is", () => {
    const d = delivery("ood", [1, 2, 3], [at(0, 4)]);
    expect(cutDelivery(d, 2)).toEqual([d, undefined]);
  });

  it("cuts a delivery without positions (embedded bus) into parts without positions", () => {
    const [head, rest] = cutDelivery(delivery("ooo", [1, 2, 3], []), 2);
    expect([head.observations.length, head.positions, rest!.observations.length, rest!.positions]).toEqual([
      2,
      [],
      1,
      [],
    ]);
  });

  it("keeps a delivery of several partitions whole, since a position cannot be placed inside it", () => {
    const d = delivery("oo", [1, 2], [at(0, 2), at(1, 3)]);
    d.observations[1]!.partition = 1;
    expect(cutDelivery(d, 1)).toEqual([d, undefined]);
  });
});

describe("createMergeBufferFeeder", () => {
  let db: { connection: DuckDBConnection; close(): void };
  beforeEach(async () => {
    db = await scratchWarehouse();
  });
  afterEach(() => db.close());

  it("buffers exactly a merge's worth of observations each time, and every row and the last position arrive once", async () => {
    const buffer = await createMergeBuffer(db.connection);
    const feeder = createMergeBufferFeeder(() => buffer, 5);
    feeder.add(delivery("ooooooo", [0, 1, 2, 3, 4, 5, 6], [at(0, 7)]));
    feeder.add(delivery("oodoooo", [7, 8, 9, 10, 11, 12, 13], [at(0, 14)]));
    const merged: number[] = [];
    while (await feeder.fill()) {
      merged.push(buffer.observations);
      await buffer.merge("g");
      expect(await storedPositions(db.connection, "g")).toEqual([at(0, merged.length === 1 ? 5 : 11)]);
    }
    merged.push(buffer.observations);
    await buffer.merge("g");
    expect([merged, feeder.waiting]).toEqual([[5, 5, 3], 0]);
    expect(await storedPositions(db.connection, "g")).toEqual([at(0, 14)]);
    expect(
      await rows(
        db.connection,
        "SELECT count(*)::INTEGER AS n, count(DISTINCT kafka_offset)::INTEGER AS d FROM fact_observation",
      ),
    ).toEqual([{ n: 13, d: 13 }]);
    expect(await rows(db.connection, "SELECT count(*)::INTEGER AS n FROM quarantine")).toEqual([{ n: 1 }]);
  });
});

describe("startLoad", () => {
  it("merges load.mergeRows observations at a time whatever the deliveries' sizes, and loads each once", async () => {
    const bus = createEmbeddedBus();
    const topics = topicNames("feeder");
    const load = await startLoad({
      bus,
      topics,
      catalog: defaultCatalog(),
      warehousePath: `${tempDir("feeder")}/w.duckdb`,
      logger: silentLogger(),
      settings: { lake: false, mergeRows: 4 },
    });
    const o = (line: number) => ({
      key: "",
      value: observation({ source: { feed: "stats-bureau-income", uri: "income.csv", position: { line } } }),
    });
    for (const start of [0, 5, 10])
      await bus.publish(
        topics.observations,
        [0, 1, 2, 3, 4].map((i) => o(start + i + 2)),
      );
    await load.runner.stop();
    // 15 observations in deliveries of 5 merge as 4 + 4 + 4 + 3, not 5 + 5 + 5.
    expect(load.stats).toMatchObject({ received: 15, batches: 4, observations: 15, deadLetters: 0, duplicates: 0 });
    expect(
      await rows(load.warehouse.connection, "SELECT count(DISTINCT source_line)::INTEGER AS n FROM fact_observation"),
    ).toEqual([{ n: 15 }]);
    load.warehouse.close();
  });

  it("tells onCommitted what each merge took per feed, re-deliveries included, only once the merge has committed", async () => {
    const bus = createEmbeddedBus();
    const topics = topicNames("committed");
    const committed: Array<Record<string, number>> = [];
    const load = await startLoad({
      bus,
      topics,
      catalog: defaultCatalog(),
      warehousePath: `${tempDir("committed")}/w.duckdb`,
      logger: silentLogger(),
      settings: { lake: false, mergeRows: 100 },
      onCommitted: (byFeed) => void committed.push(Object.fromEntries(byFeed)),
    });
    const o = (feed: string, line: number) => ({
      key: "",
      value: observation({ source: { feed, uri: `${feed}.csv`, position: { line } } }),
    });
    await bus.publish(topics.observations, [
      o("stats-bureau-income", 2),
      o("stats-bureau-income", 3),
      o("health-api", 2),
    ]);
    // Buffered, not merged (fewer than load.mergeRows, within the linger): nothing is loaded yet.
    expect(committed).toEqual([]);
    await bus.publish(topics.observations, [o("stats-bureau-income", 2)]);
    await load.runner.stop();
    expect(committed).toEqual([{ "stats-bureau-income": 3, "health-api": 1 }]);
    expect(load.stats).toMatchObject({ observations: 3, duplicates: 1 });
    load.warehouse.close();
  });
});
