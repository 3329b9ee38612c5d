import type { SourcePosition } from "../source.ts";
import { type PositionColumns, PositionBuilder } from "./positions.ts";
import { type TextColumn, TextColumnBuilder } from "./text-column.ts";

/**
 * What ingest hands on: a bounded chunk of one source, held as columns. Every field is text exactly as the source
 * gave it (transform owns every interpretation), dictionary-encoded, with -1 where a row lacks the field.
 * Provenance is per batch (feed, source, checksum, receipt) and per row (position, vintage).
 */
export interface RawBatch {
  readonly kind: "raw";
  readonly feed: string;
  /** The file path relative to the drop folder, or the URL of the response. */
  readonly uri: string;
  /** sha256 of the whole source, hex: with `seq`, the identity of this batch. */
  readonly checksum: string;
  /** This batch's index in its source: 0, 1, 2, … */
  readonly seq: number;
  readonly receivedAt: string;
  readonly rows: number;
  /** Source columns in the order they were first seen. */
  readonly fields: readonly { readonly name: string; readonly column: TextColumn }[];
  /** Each row's vintage (ISO 8601): the department's publication date, or the time of receipt. */
  readonly vintage: TextColumn;
  readonly position: PositionColumns;
}

/** The most rows in one batch, and the most text it may carry: one batch is one Kafka message. */
export const BATCH_LIMITS = { rows: 65_536, textUnits: 512 * 1024 } as const;

/** Collects rows of one source into a RawBatch; `full` says when it should be handed on. */
export class RawBatchBuilder {
  private readonly fields = new Map<string, TextColumnBuilder>();
  private readonly vintage: TextColumnBuilder;
  private readonly position: PositionBuilder;
  private length = 0;
  private readonly source: { feed: string; uri: string; checksum: string; receivedAt: string; seq: number };
  private readonly capacity: number;

  constructor(source: RawBatchBuilder["source"], capacity = 4096) {
    this.source = source;
    this.capacity = capacity;
    this.vintage = new TextColumnBuilder(capacity);
    this.position = new PositionBuilder(capacity);
  }

  get rows(): number {
    return this.length;
  }

  get full(): boolean {
    if (this.length >= BATCH_LIMITS.rows) return true;
    let units = 0;
    for (const f of this.fields.values()) units += f.textUnits;
    return units >= BATCH_LIMITS.textUnits;
  }

  add(position: SourcePosition, fields: Readonly<Record<string, string>>, vintage: string): void {
    for (const name in fields) {
      let column = this.fields.get(name);
      if (!column) {
        column = new TextColumnBuilder(this.capacity);
        column.padTo(this.length);
        this.fields.set(name, column);
      }
      column.push(fields[name]);
    }
    this.length++;
    for (const column of this.fields.values()) column.padTo(this.length);
    this.vintage.push(vintage);
    this.position.push(position);
  }

  build(): RawBatch {
    return {
      kind: "raw",
      feed: this.source.feed,
      uri: this.source.uri,
      checksum: this.source.checksum,
      seq: this.source.seq,
      receivedAt: this.source.receivedAt,
      rows: this.length,
      fields: [...this.fields].map(([name, column]) => ({ name, column: column.build() })),
      vintage: this.vintage.build(),
      position: this.position.build(),
    };
  }
}
