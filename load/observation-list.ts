import { ABSENT, type Observation, type ObservationBatch, type TextColumn } from "../schemas/index.ts";
import type { SourceDictionary } from "./source-dictionary.ts";
import type { StringDictionary } from "./string-dictionary.ts";
import type { TypedColumns } from "./typed-chunk.ts";

/** A decoded observation with where it came from on the bus (one JSON message from an external producer). */
export interface ObservationRow {
  observation: Observation;
  topic?: string;
  partition?: number;
  offset?: string;
}

/** Rows `from` to `to` of one observation batch, delivered as one message at `offset`. */
interface BatchRun {
  readonly batch: ObservationBatch;
  readonly from: number;
  readonly to: number;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: string;
}

type Run = { rows: readonly ObservationRow[] } | BatchRun;

/** Buffer columns being filled: the integer and double columns of buffer_obs (merge-buffer-rows.ts). */
export type BufferColumns = TypedColumns;

/**
 * The observations of one delivery, in order: runs of observation batches (columns, never expanded into objects)
 * and single JSON observations. It can be cut anywhere and buffered column by column.
 */
export class ObservationList {
  readonly length: number;
  private readonly runs: readonly Run[];

  private constructor(runs: readonly Run[]) {
    this.runs = runs;
    this.length = runs.reduce((n, r) => n + runLength(r), 0);
  }

  static empty(): ObservationList {
    return new ObservationList([]);
  }

  static of(
    parts: readonly (
      | ObservationRow
      | { batch: ObservationBatch; topic?: string; partition?: number; offset?: string }
    )[],
  ): ObservationList {
    const runs: Run[] = [];
    let rows: ObservationRow[] = [];
    for (const p of parts) {
      if ("batch" in p) {
        if (rows.length > 0) runs.push({ rows });
        rows = [];
        if (p.batch.rows > 0) runs.push({ ...p, from: 0, to: p.batch.rows });
      } else rows.push(p);
    }
    if (rows.length > 0) runs.push({ rows });
    return new ObservationList(runs);
  }

  /** Rows [start, end), sharing the batches' columns. */
  slice(start: number, end = this.length): ObservationList {
    const out: Run[] = [];
    let at = 0;
    for (const r of this.runs) {
      const n = runLength(r);
      const a = Math.max(start - at, 0);
      const b = Math.min(end - at, n);
      if (a < b) out.push("rows" in r ? { rows: r.rows.slice(a, b) } : { ...r, from: r.from + a, to: r.from + b });
      at += n;
    }
    return new ObservationList(out);
  }

  /** Where row `i` came from on the bus. */
  busPosition(i: number): { topic?: string; partition?: number; offset?: string } {
    let at = 0;
    for (const r of this.runs) {
      const n = runLength(r);
      if (i < at + n) return "rows" in r ? r.rows[i - at]! : r;
      at += n;
    }
    throw new RangeError(`row ${i} of ${this.length}`);
  }

  /** Every run's bus position, once per run (a batch run's rows share its message's position). */
  busPositions(): Array<{ topic?: string; partition?: number; offset?: string }> {
    return this.runs.flatMap(
      (r): Array<{ topic?: string; partition?: number; offset?: string }> => ("rows" in r ? [...r.rows] : [r]),
    );
  }

  /**
   * Adds the observations per feed to `into` (cells recorded as not reported are not counted) and returns how many
   * cells were recorded as not reported (value NaN): what the merge puts in missing_cell. One pass for both.
   */
  countByFeed(into: Map<string, number>): number {
    let notReported = 0;
    for (const r of this.runs) {
      if ("rows" in r)
        for (const { observation: o } of r.rows) {
          if (Number.isNaN(o.value)) notReported++;
          else into.set(o.source.feed, (into.get(o.source.feed) ?? 0) + 1);
        }
      else {
        let n = 0;
        for (let i = r.from; i < r.to; i++) if (!Number.isNaN(r.batch.value[i]!)) n++;
        into.set(r.batch.feed, (into.get(r.batch.feed) ?? 0) + n);
        notReported += r.to - r.from - n;
      }
    }
    return notReported;
  }

  /**
   * Fills rows [start, start + n) into buffer columns from row 0: strings as dictionary ids (each batch's
   * dictionaries are mapped once per call, rows follow through their codes), numbers as they are.
   */
  fill(
    cols: BufferColumns,
    start: number,
    n: number,
    dict: StringDictionary,
    sources: SourceDictionary,
    firstSeq: number,
  ): void {
    let at = 0;
    let out = 0;
    for (const r of this.runs) {
      const len = runLength(r);
      const a = Math.max(start - at, 0);
      const b = Math.min(start + n - at, len);
      if (a < b) {
        if ("rows" in r) fillRows(cols, r.rows, a, b, out, dict, sources, firstSeq + out);
        else fillBatch(cols, r, r.from + a, r.from + b, out, dict, sources, firstSeq + out);
        out += b - a;
      }
      at += len;
    }
  }
}

const runLength = (r: Run): number => ("rows" in r ? r.rows.length : r.to - r.from);

function fillRows(
  cols: BufferColumns,
  rows: readonly ObservationRow[],
  a: number,
  b: number,
  out: number,
  dict: StringDictionary,
  sources: SourceDictionary,
  seq: number,
): void {
  for (let i = a, o = out; i < b; i++, o++) {
    const { observation: ob, topic, partition, offset } = rows[i]!;
    const p = ob.source.position;
    cols.put(0, o, seq + (o - out));
    cols.put(1, o, dict.id(ob.indicator));
    cols.put(2, o, dict.id(ob.region));
    cols.put(3, o, dict.id(ob.period));
    cols.put(4, o, ob.value);
    cols.put(5, o, dict.id(ob.unit));
    cols.put(6, o, dict.id(ob.vintage));
    cols.put(7, o, sources.id(ob.source.feed, ob.source.uri, topic, partition, offset, ob.ingestedAt));
    cols.put(8, o, p.line);
    cols.put(9, o, dict.id(p.sheet));
    cols.put(10, o, p.row);
    cols.put(11, o, p.offset);
    cols.put(12, o, dict.id(p.column));
  }
}

/** A text column's dictionary as buffer ids: one lookup per distinct value. */
const idsOf = (c: TextColumn, dict: StringDictionary): Array<number | null> => c.values.map((v) => dict.id(v));

function fillBatch(
  cols: BufferColumns,
  r: BatchRun,
  a: number,
  b: number,
  out: number,
  dict: StringDictionary,
  sources: SourceDictionary,
  seq: number,
) {
  const bt = r.batch;
  const p = bt.position;
  const text: Array<[number, TextColumn]> = [
    [1, bt.indicator],
    [2, bt.region],
    [3, bt.period],
    [5, bt.unit],
    [6, bt.vintage],
    [9, p.sheet],
    [12, p.column],
  ];
  for (const [c, column] of text) {
    const ids = idsOf(column, dict);
    const codes = column.codes;
    const values = cols.values[c]!;
    const nulls = cols.nulls[c]!;
    for (let i = a, o = out; i < b; i++, o++) {
      const code = codes[i]!;
      const id = code === ABSENT ? null : ids[code]!;
      if (id === null) nulls[o] = 1;
      else values[o] = id;
    }
  }
  const source = sources.id(bt.feed, bt.uri, r.topic, r.partition, r.offset, bt.ingestedAt);
  const [seqs, , , , value, , , src, line, , row, off] = cols.values;
  const [, , , , , , , , lineNull, , rowNull, offNull] = cols.nulls;
  for (let i = a, o = out; i < b; i++, o++) {
    seqs![o] = seq + (o - out);
    value![o] = bt.value[i]!;
    src![o] = source;
    const l = p.line[i]!;
    if (l > 0) line![o] = l;
    else lineNull![o] = 1;
    const w = p.row[i]!;
    if (w > 0) row![o] = w;
    else rowNull![o] = 1;
    const f = p.offset[i]!;
    if (f >= 0) off![o] = f;
    else offNull![o] = 1;
  }
}
