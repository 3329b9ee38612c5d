import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DuckDBConnection } from "@duckdb/node-api";
import { createMergeBuffer, storedPositions, type MergeBuffer } from "../../load/index.ts";
import type { DecodedDelivery } from "../../load/merge-buffer-feeder.ts";
import { createMergePipeline, type MergePipeline } from "../../load/merge-pipeline.ts";
import type { ObservationRow } from "../../load/observation-list.ts";
import { delivered, observation, rows, scratchWarehouse } from "./fixtures.ts";

/** Observations at `offsets` of partition 0, each on its own line, with the position after the last. */
function delivery(offsets: number[]): DecodedDelivery<ObservationRow[]> {
  return {
    observations: offsets.map((o) =>
      delivered(observation({ source: { feed: "f", uri: "u", position: { line: o + 2 } } }), o),
    ),
    deadLetters: [],
    observationAt: offsets.map((_, i) => i),
    deadLetterAt: [],
    positions: [{ topic: "t.observations", partition: 0, offset: String(offsets.at(-1)! + 1) }],
  };
}
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

/** The events of successful merges, each of buffer `b` with `rows` observations. */
const merges = (...m: [b: number, rows: number][]) =>
  m.flatMap(([b, rows]) => [`start ${b} ${rows}`, `commit ${b}`, `after ${b}`]);

/** A gate a test opens when it chooses. */
function gate(): { wait: Promise<void>; open(): void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe("createMergePipeline", () => {
  let db: Awaited<ReturnType<typeof scratchWarehouse>>;
  let buffers: [MergeBuffer, MergeBuffer];
  /** What happened, in order: "start <buffer> <rows>", "commit <buffer>", "after <buffer>". */
  let events: string[];
  /** Gates the next merges wait at before they run, in order (none: they run at once). */
  let gates: ReturnType<typeof gate>[];
  /** Merges that fail, by their number from 1, before they touch the warehouse. */
  let failing: Set<number>;
  let pipeline: MergePipeline;

  beforeEach(async () => {
    db = await scratchWarehouse();
    const second: DuckDBConnection = await db.connect();
    buffers = [await createMergeBuffer(db.connection), await createMergeBuffer(second)];
    events = [];
    gates = [];
    failing = new Set();
    let merges = 0;
    let last = -1;
    pipeline = createMergePipeline({
      buffers,
      mergeRows: 4,
      merge: async (buffer) => {
        const n = ++merges;
        const which = buffers.indexOf(buffer);
        events.push(`start ${which} ${buffer.observations}`);
        await gates.shift()?.wait;
        if (failing.has(n)) {
          events.push(`fail ${which}`);
          throw new Error(`merge ${n} fails`);
        }
        await buffer.merge("g");
        events.push(`commit ${which}`);
        last = which;
        return [String(which)];
      },
      afterMerge: async (marked) => {
        expect(marked).toEqual([String(last)]);
        events.push(`after ${marked[0]}`);
      },
    });
  });
  afterEach(() => db.close());

  const facts = async () =>
    (await rows(db.connection, "SELECT kafka_offset FROM fact_observation ORDER BY kafka_offset")).map((r) =>
      Number(r["kafka_offset"]),
    );

  it("fills the other buffer while a merge runs, and starts the next merge only after it has committed", async () => {
    const first = gate();
    gates.push(first);
    pipeline.add(delivery(range(0, 10)));
    // Returns with the first merge still waiting at its gate: rows 4-7 filled the other buffer meanwhile, and the
    // pump then waits for the first merge before it starts the second.
    const pumping = pipeline.pump();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(["start 0 4"]);
    expect([buffers[0].observations, buffers[1].observations]).toEqual([4, 4]);
    first.open();
    await pumping;
    expect(events.slice(0, 4)).toEqual(["start 0 4", "commit 0", "after 0", "start 1 4"]);
    // Rows 8-9 wait in the first buffer again for a later merge.
    await pipeline.drain();
    expect(events).toEqual(merges([0, 4], [1, 4], [0, 2]));
    expect(await facts()).toEqual(range(0, 10));
    expect(await storedPositions(db.connection, "g")).toEqual([
      { topic: "t.observations", partition: 0, offset: "10" },
    ]);
    expect(pipeline.pending).toBe(0);
  });

  it("after a failed merge, merges its rows again before the newer buffer's, and loses or doubles nothing", async () => {
    failing.add(1);
    pipeline.add(delivery(range(0, 9)));
    // The first merge fails in flight; the pump finds out when the second buffer is full and must wait for it.
    await expect(pipeline.pump()).rejects.toThrow("merge 1 fails");
    expect(events).toEqual(["start 0 4", "fail 0"]);
    expect([buffers[0].observations, buffers[1].observations]).toEqual([4, 4]);
    expect(await facts()).toEqual([]);
    expect(pipeline.pending).toBe(9);
    await pipeline.drain();
    expect(events.slice(2)).toEqual(merges([0, 4], [1, 4], [0, 1]));
    expect(await facts()).toEqual(range(0, 9));
    expect(await storedPositions(db.connection, "g")).toEqual([{ topic: "t.observations", partition: 0, offset: "9" }]);
  });

  it("awaitMerge reports a failed merge without merging it again; settle then does", async () => {
    failing.add(1);
    pipeline.add(delivery(range(0, 4)));
    await pipeline.pump();
    await expect(pipeline.awaitMerge()).rejects.toThrow("merge 1 fails");
    await pipeline.awaitMerge();
    expect(events).toEqual(["start 0 4", "fail 0"]);
    expect(pipeline.pending).toBe(4);
    await pipeline.settle();
    expect(events.slice(2)).toEqual(["start 0 4", "commit 0", "after 0"]);
    expect(await facts()).toEqual(range(0, 4));
  });

  it("settle waits for the merge in flight, so what runs after it never runs beside a merge", async () => {
    const first = gate();
    gates.push(first);
    pipeline.add(delivery(range(0, 4)));
    await pipeline.pump();
    expect(events).toEqual(["start 0 4"]);
    const settled = pipeline.settle().then(() => events.push("settled"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(["start 0 4"]);
    first.open();
    await settled;
    expect(events).toEqual(["start 0 4", "commit 0", "after 0", "settled"]);
    expect(await facts()).toEqual(range(0, 4));
  });
});
