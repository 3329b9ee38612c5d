import type { SourcePosition } from "../source.ts";
import { ABSENT, type TextColumn, TextColumnBuilder, textAt } from "./text-column.ts";

/**
 * Where each row of a batch sits in its source, one column per part of a SourcePosition: a CSV line, a workbook
 * sheet and row, a JSON element's offset, a wide row's value column. Numbers use 0 (line, row) or -1 (offset) for
 * "the source has no such part"; text parts are dictionary-encoded like every other text column.
 */
export interface PositionColumns {
  readonly line: Int32Array;
  readonly row: Int32Array;
  readonly offset: Float64Array;
  readonly sheet: TextColumn;
  readonly column: TextColumn;
}

/** The position of row `i` as the record-at-a-time code wrote it, for dead letters and messages. */
export function positionAt(p: PositionColumns, i: number): SourcePosition {
  const out: SourcePosition = {};
  const line = p.line[i]!;
  const row = p.row[i]!;
  const offset = p.offset[i]!;
  const sheet = textAt(p.sheet, i);
  const column = textAt(p.column, i);
  if (line > 0) out.line = line;
  if (sheet !== undefined) out.sheet = sheet;
  if (row > 0) out.row = row;
  if (offset >= 0) out.offset = offset;
  if (column !== undefined) out.column = column;
  return out;
}

/** Builds position columns row by row. */
export class PositionBuilder {
  private line: Int32Array;
  private row: Int32Array;
  private offset: Float64Array;
  private readonly sheet: TextColumnBuilder;
  private readonly column: TextColumnBuilder;
  private length = 0;

  constructor(capacity = 1024) {
    this.line = new Int32Array(capacity);
    this.row = new Int32Array(capacity);
    this.offset = new Float64Array(capacity);
    this.sheet = new TextColumnBuilder(capacity);
    this.column = new TextColumnBuilder(capacity);
  }

  push(p: SourcePosition, column?: string): void {
    if (this.length === this.line.length) this.grow();
    const i = this.length++;
    this.line[i] = p.line ?? 0;
    this.row[i] = p.row ?? 0;
    this.offset[i] = p.offset ?? ABSENT;
    this.sheet.push(p.sheet);
    this.column.push(column ?? p.column);
  }

  /** Copies row `i` of other position columns, with a value column for a wide row's observation. */
  pushFrom(p: PositionColumns, i: number, column?: string): void {
    if (this.length === this.line.length) this.grow();
    const n = this.length++;
    this.line[n] = p.line[i]!;
    this.row[n] = p.row[i]!;
    this.offset[n] = p.offset[i]!;
    this.sheet.push(textAt(p.sheet, i));
    this.column.push(column ?? textAt(p.column, i));
  }

  build(): PositionColumns {
    const n = this.length;
    return {
      line: this.line.subarray(0, n),
      row: this.row.subarray(0, n),
      offset: this.offset.subarray(0, n),
      sheet: this.sheet.build(),
      column: this.column.build(),
    };
  }

  private grow(): void {
    const size = Math.max(16, this.line.length * 2);
    const line = new Int32Array(size);
    const row = new Int32Array(size);
    const offset = new Float64Array(size);
    line.set(this.line);
    row.set(this.row);
    offset.set(this.offset);
    this.line = line;
    this.row = row;
    this.offset = offset;
  }
}
