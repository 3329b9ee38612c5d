import type { MergeBuffer } from "./duckdb-writer.ts";
import { createMergeBufferFeeder, type DecodedDelivery } from "./merge-buffer-feeder.ts";

/**
 * Two merge buffers, each on a connection of its own: while DuckDB merges one into the warehouse, the next
 * deliveries are appended to the other. A merge is one DuckDB thread for ~0.35 s per row group, and buffering the
 * next row group took ~0.1 s of it back to back (docs/WAREHOUSE.md, "Consistency guarantees"); the buffers' TEMP tables belong to
 * their connection, so the two never share a table.
 *
 * Merges stay one at a time and in delivery order: a buffer starts merging only after the other's merge has
 * committed, so it sees the rows and positions that merge stored (its key lookup and line ranges depend on them),
 * and a failed merge is retried before the next buffer merges.
 */
export interface MergePipeline {
  add(delivery: DecodedDelivery): void;
  /** Buffers what was added; each buffer that fills starts merging once the merge before it has committed. */
  pump(): Promise<void>;
  /** Merges everything added and waits for it; rejects if a merge fails (its rows stay buffered, in order). */
  drain(): Promise<void>;
  /**
   * awaitMerge, then merges the rows an earlier failed merge left. Rejects if the merge in flight failed (the next
   * call merges its rows again) or the retry fails. Afterwards no merge runs until the next pump or drain.
   */
  settle(): Promise<void>;
  /**
   * Waits for the merge in flight and runs `afterMerge` for it; rejects if it failed, without merging its rows again
   * (the next settle, pump or drain does). Afterwards no merge runs until the next pump or drain.
   */
  awaitMerge(): Promise<void>;
  /** Rows added and not yet committed (waiting, buffered or merging). */
  readonly pending: number;
}

export interface MergePipelineOptions {
  buffers: readonly [MergeBuffer, MergeBuffer];
  mergeRows: number;
  /** Merges one buffer (a transaction: rows and positions); returns what the caller passes to afterMerge. */
  merge(buffer: MergeBuffer): Promise<readonly string[]>;
  /** Runs where no merge runs (the lake's marks and exports), after each merge has committed, in order. */
  afterMerge(marked: readonly string[]): Promise<void>;
}

export function createMergePipeline(o: MergePipelineOptions): MergePipeline {
  let filling = 0;
  /** The merge of the other buffer, while it runs and until settle has seen it end. */
  let inFlight: Promise<readonly string[]> | undefined;
  const feeder = createMergeBufferFeeder(() => o.buffers[filling]!, o.mergeRows);
  const other = () => o.buffers[1 - filling]!;

  async function awaitMerge(): Promise<void> {
    const running = inFlight;
    inFlight = undefined;
    // A rejection leaves the rows in the other buffer; the merge's own handler has logged it.
    if (running) await o.afterMerge(await running);
  }

  async function settle(): Promise<void> {
    await awaitMerge();
    if (other().rows > 0) await o.afterMerge(await o.merge(other()));
  }

  /** Starts merging the filling buffer, once the merge before it has committed, and fills the other one next. */
  async function rotate(): Promise<void> {
    await settle();
    const full = o.buffers[filling]!;
    if (full.rows === 0) return;
    filling = 1 - filling;
    const done = o.merge(full);
    // Observed by settle; this keeps a failure from being an unhandled rejection meanwhile.
    done.catch(() => {});
    inFlight = done;
  }

  return {
    add: (delivery) => feeder.add(delivery),
    async pump() {
      while (await feeder.fill()) await rotate();
    },
    async drain() {
      // A failed merge is retried before anything more is buffered.
      await settle();
      do {
        await feeder.fill();
        await rotate();
      } while (feeder.waiting > 0);
      await settle();
    },
    settle,
    awaitMerge,
    get pending() {
      return feeder.waiting + o.buffers[0].rows + o.buffers[1].rows;
    },
  };
}
