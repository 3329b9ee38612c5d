/**
 * A dictionary-encoded text column: row i holds `values[codes[i]]`, or nothing where `codes[i]` is -1. Each distinct
 * string is stored once, so a rule applied to `values` (an alias, a period, a unit) runs once per distinct value and
 * rows follow through their integer codes. This is exactly an Arrow dictionary vector (see arrow-codec.ts).
 */
export interface TextColumn {
  readonly values: readonly string[];
  readonly codes: Int32Array;
}

/** The code of a row that has no value (an absent field, a position part the source does not have). */
export const ABSENT = -1;

/** The text of row `i`, or undefined where it has none. */
export function textAt(column: TextColumn, i: number): string | undefined {
  const code = column.codes[i]!;
  return code === ABSENT ? undefined : column.values[code];
}

/** Rows after which a column that is mostly distinct stops being deduplicated (see `push`). */
const SAMPLE_ROWS = 4096;

/** Builds a text column row by row, giving each new distinct string the next code. */
export class TextColumnBuilder {
  /** Distinct strings so far; undefined once the column turned out to be mostly distinct. */
  private index: Map<string, number> | undefined = new Map<string, number>();
  private readonly values: string[] = [];
  private codes: Int32Array;
  private length = 0;
  /** UTF-16 code units of the distinct strings so far: an estimate of the column's encoded size. */
  textUnits = 0;

  constructor(capacity = 1024) {
    this.codes = new Int32Array(capacity);
  }

  get rows(): number {
    return this.length;
  }

  /**
   * A column whose values are mostly distinct (a long layout's value column) is not worth a dictionary: hashing each
   * new string into a map of tens of thousands costs more than it saves. After SAMPLE_ROWS rows such a column keeps
   * each row's string as its own entry. It stays a valid dictionary (Arrow allows repeated entries); a rule applied
   * per entry then runs per row, as it would have to anyway.
   */
  push(text: string | undefined): void {
    if (this.length === this.codes.length) this.grow();
    this.codes[this.length++] = text === undefined ? ABSENT : this.codeOf(text);
    if (this.length === SAMPLE_ROWS && this.index !== undefined && this.index.size > SAMPLE_ROWS / 2)
      this.index = undefined;
  }

  /** Whether each distinct string is stored once (false for a column that turned out to be mostly distinct). */
  get deduplicated(): boolean {
    return this.index !== undefined;
  }

  /** Rows before this one that the column has not seen get no value: a field that appears late in a source. */
  padTo(rows: number): void {
    while (this.length < rows) this.push(undefined);
  }

  build(): TextColumn {
    return { values: this.values, codes: this.codes.subarray(0, this.length) };
  }

  private codeOf(text: string): number {
    const index = this.index;
    let code = index?.get(text);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(text);
      index?.set(text, code);
      this.textUnits += text.length;
    }
    return code;
  }

  private grow(): void {
    const next = new Int32Array(Math.max(16, this.codes.length * 2));
    next.set(this.codes);
    this.codes = next;
  }
}

/** A column of one value for `rows` rows (a batch-wide constant, e.g. the feed of a long layout's observations). */
export function constantColumn(text: string | undefined, rows: number): TextColumn {
  return text === undefined
    ? { values: [], codes: new Int32Array(rows).fill(ABSENT) }
    : { values: [text], codes: new Int32Array(rows) };
}
