import type { TypedColumns } from "./typed-chunk.ts";

/** buffer_obs's column numbers that say where a row came from (merge-buffer-rows.ts). */
const SRC = 7;
const LINE = 8;
const SHEET = 9;
const ROW = 10;
const OFFSET = 11;
const COLUMN = 12;

/** Where a scope (one sheet of one file) stands: its last position and the columns seen there. */
interface Scope {
  at: number;
  columns: number[];
}

/**
 * Whether every row a merge buffer holds has a source position of its own, so that no two of them can share a key
 * (the key includes feed, source and position) and the merge can skip finding the first delivery of each key.
 * Sources deliver rows in order: within one sheet of one file the line (or sheet row, or offset) never goes back, and
 * a line holds one row per column. A row that breaks this (a batch delivered again, a position going back, two rows
 * of one column on one line) or has no single position (a whole-source value, or more than one of line, row and
 * offset) makes the answer "maybe": the merge then keeps the first delivery of each key, as it always did.
 *
 * Checked on the typed columns as they are appended, one integer comparison per row: no object per row.
 */
export class DistinctPositions {
  private scopes = new Map<string, Scope>();
  private lastKey = "";
  private lastFile = -1;
  private lastSrcId = -1;
  private lastSrcFile = -1;
  private lastSheet = -1;
  private last: Scope | undefined;
  private distinct = true;

  /** True while no two buffered rows can share a position. */
  get unique(): boolean {
    return this.distinct;
  }

  /**
   * Checks rows [0, n) of a filled chunk. `fileOf` gives the file (feed and source) a source tuple id belongs to:
   * tuples differ by Kafka offset and ingest time, and positions are per file.
   */
  check(cols: TypedColumns, n: number, fileOf: (src: number) => number): void {
    if (!this.distinct) return;
    // The columns once per chunk, not per row: this runs for every buffered row.
    const [src, line, sheet, row, offset, column] = [SRC, LINE, SHEET, ROW, OFFSET, COLUMN].map((c) => cols.values[c]!);
    const [lineNull, sheetNull, rowNull, offsetNull, columnNull] = [LINE, SHEET, ROW, OFFSET, COLUMN].map(
      (c) => cols.nulls[c]!,
    );
    for (let o = 0; o < n; o++) {
      const hasLine = lineNull![o] === 0;
      const hasRow = rowNull![o] === 0;
      const hasOffset = offsetNull![o] === 0;
      if ((hasLine ? 1 : 0) + (hasRow ? 1 : 0) + (hasOffset ? 1 : 0) !== 1) return this.fail();
      const at = hasLine ? line![o]! : hasRow ? row![o]! : offset![o]!;
      const col = columnNull![o] === 0 ? column![o]! : -1;
      const s = src![o]!;
      if (s !== this.lastSrcId) {
        this.lastSrcId = s;
        this.lastSrcFile = fileOf(s);
      }
      const scope = this.scopeOf(this.lastSrcFile, sheetNull![o] === 0 ? sheet![o]! : -1);
      if (scope === undefined) {
        this.last = { at, columns: [col] };
        this.scopes.set(this.lastKey, this.last);
      } else if (at > scope.at) {
        scope.at = at;
        if (scope.columns.length === 1) scope.columns[0] = col;
        else {
          scope.columns.length = 0;
          scope.columns.push(col);
        }
      } else if (at < scope.at || scope.columns.includes(col)) return this.fail();
      else scope.columns.push(col);
    }
  }

  clear(): void {
    this.scopes.clear();
    this.lastKey = "";
    this.lastFile = -1;
    this.lastSrcId = -1;
    this.lastSrcFile = -1;
    this.lastSheet = -1;
    this.last = undefined;
    this.distinct = true;
  }

  /** The scope of a file's sheet; consecutive rows mostly share it, so the map is asked only when it changes. */
  private scopeOf(file: number, sheet: number): Scope | undefined {
    if (file === this.lastFile && sheet === this.lastSheet) return this.last;
    this.lastFile = file;
    this.lastSheet = sheet;
    this.lastKey = `${file}:${sheet}`;
    this.last = this.scopes.get(this.lastKey);
    return this.last;
  }

  private fail(): void {
    this.distinct = false;
    this.scopes.clear();
    this.last = undefined;
  }
}
