import type { PartitionPosition } from "../bus/index.ts";
import type { MergeBuffer } from "./duckdb-writer.ts";
import { ObservationList, type ObservationRow } from "./observation-list.ts";
import type { DeadLetterRow } from "./merge-buffer-rows.ts";

/** A decoded delivery, or what is left of one: its rows with their indexes in the delivery, in delivery order. */
export interface DecodedDelivery<O extends ObservationList | ObservationRow[] = ObservationList | ObservationRow[]> {
  /** Batches stay columns (ObservationList); single JSON observations may also come as an array of rows. */
  observations: O;
  deadLetters: DeadLetterRow[];
  observationAt: number[];
  deadLetterAt: number[];
  /** Where to resume once every row of it has merged. */
  positions: PartitionPosition[];
}

/**
 * Buffers deliveries so that a merge takes exactly `mergeRows` observations. A merge that inserts whole DuckDB row
 * groups leaves none half full; one that inserts 140,000 rows leaves a row group of 17,120 behind, and the checkpoint
 * at close then merges those by rewriting nearly the whole table (3·10^6 rows: 39 s and +540 MB RSS, against 0.2 s
 * and nothing with whole row groups). Rows past the cut wait here, not yet buffered, for the buffer the merge empties.
 */
export interface MergeBufferFeeder {
  add(delivery: DecodedDelivery): void;
  /** Buffers waiting rows until the buffer holds a full merge (true) or nothing waits (false). */
  fill(): Promise<boolean>;
  /** Rows added and not yet buffered. */
  readonly waiting: number;
}

/** `target` gives the buffer to fill now: the pipeline's two buffers take turns (merge-pipeline.ts). */
export function createMergeBufferFeeder(target: () => MergeBuffer, mergeRows: number): MergeBufferFeeder {
  const queue: DecodedDelivery[] = [];
  let waiting = 0;
  const full = (buffer: MergeBuffer) => buffer.observations >= mergeRows || buffer.deadLetters >= mergeRows;
  return {
    add(delivery) {
      queue.push(delivery);
      waiting += delivery.observations.length + delivery.deadLetters.length;
    },
    async fill() {
      const buffer = target();
      while (!full(buffer) && queue.length > 0) {
        const [head, rest] = cutDelivery(queue[0]!, mergeRows - buffer.observations);
        // A failed append leaves the delivery queued: its rows are buffered again by the next fill.
        await buffer.append(head.observations, head.deadLetters, head.positions);
        if (rest) queue[0] = rest;
        else queue.shift();
        waiting -= head.observations.length + head.deadLetters.length;
      }
      return full(buffer);
    },
    get waiting() {
      return waiting;
    },
  };
}

/**
 * Cuts a delivery after its `room`-th observation, the head with the position after that observation (the next
 * offset), the rest with the delivery's own. A delivery of several partitions cannot carry a position inside it
 * and stays whole, as does one with no more than `room` observations.
 */
export function cutDelivery<O extends ObservationList | ObservationRow[]>(
  d: DecodedDelivery<O>,
  room: number,
): [DecodedDelivery<O>, DecodedDelivery<O> | undefined] {
  if (d.observations.length <= room || room < 1) return [d, undefined];
  const obs = d.observations;
  const at = (i: number) => (obs instanceof ObservationList ? obs.busPosition(i) : obs[i]!);
  const last = at(room - 1);
  const only = d.positions.length === 1 ? d.positions[0] : undefined;
  const inOnly = (r: { topic?: string; partition?: number }) =>
    r.topic === only?.topic && r.partition === only?.partition;
  const sources: ReadonlyArray<{ topic?: string; partition?: number }> =
    obs instanceof ObservationList ? obs.busPositions() : obs;
  if (
    d.positions.length > 0 &&
    !(only && last.offset !== undefined && sources.every(inOnly) && d.deadLetters.every(inOnly))
  )
    return [d, undefined];
  const end = d.observationAt[room - 1]!;
  let dls = 0;
  while (dls < d.deadLetterAt.length && d.deadLetterAt[dls]! < end) dls++;
  // A cut inside one message (a batch) resumes at that message: its rows already merged are skipped by their keys.
  const inside = at(room).offset === last.offset;
  const positions = only
    ? [
        {
          topic: only.topic,
          partition: only.partition,
          offset: inside ? last.offset! : String(BigInt(last.offset!) + 1n),
        },
      ]
    : [];
  const slice = (a: number, b?: number) => (obs instanceof ObservationList ? obs.slice(a, b) : obs.slice(a, b)) as O;
  const head = {
    observations: slice(0, room),
    deadLetters: d.deadLetters.slice(0, dls),
    observationAt: d.observationAt.slice(0, room),
    deadLetterAt: d.deadLetterAt.slice(0, dls),
    positions,
  };
  const rest = {
    observations: slice(room),
    deadLetters: d.deadLetters.slice(dls),
    observationAt: d.observationAt.slice(room),
    deadLetterAt: d.deadLetterAt.slice(dls),
    positions: d.positions,
  };
  return [head, rest];
}
