import type { Delivered, PartitionPosition } from "../bus/index.ts";

export interface BatchPart {
  batch: Delivered[];
  positions: PartitionPosition[];
}

/**
 * Splits a delivered batch into parts of at most `max` records, each with the position to resume from once it has
 * committed (the next offset after its last record), so a smaller transaction loses nothing on a crash between parts.
 * A batch whose positions cannot be placed inside it (several partitions) stays whole.
 */
export function splitBatch(batch: Delivered[], positions: PartitionPosition[], max: number): BatchPart[] {
  if (batch.length <= max) return [{ batch, positions }];
  const only = positions.length === 1 ? positions[0] : undefined;
  if (positions.length > 0 && !(only && batch.every((m) => m.topic === only.topic && m.partition === only.partition))) return [{ batch, positions }];
  const parts: BatchPart[] = [];
  for (let start = 0; start < batch.length; start += max) {
    const slice = batch.slice(start, start + max);
    const last = slice[slice.length - 1]!;
    const final = start + max >= batch.length;
    const position = only && (final ? only : { topic: only.topic, partition: only.partition, offset: String(BigInt(last.offset) + 1n) });
    parts.push({ batch: slice, positions: position ? [position] : [] });
  }
  return parts;
}
