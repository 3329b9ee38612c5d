import type { TypedColumns } from "./typed-chunk.ts";

/** buffer_obs's column numbers this reads (merge-buffer-rows.ts). */
const VALUE = 4;
const SRC = 7;
const LINE = 8;

/** One file's observations in a merge buffer: their lowest and highest line, and how many have no line. */
export interface FileLines {
  readonly feed: string;
  readonly uri: string;
  /** Null when none of them has a line. */
  readonly lo: number | null;
  readonly hi: number | null;
  readonly unlined: number;
}

interface Range {
  lo: number;
  hi: number;
  unlined: number;
}

/**
 * The lines of each file (feed and source) a merge buffer holds, gathered as its typed columns are appended: what
 * the merge compares with the lines each file has loaded (loaded-lines.ts) and then records, with no query over the
 * buffer. Cells sent without a value (NaN) are left out, as the merge leaves them out of the facts (they go to
 * missing_cell). One comparison per row; no object per row.
 */
export class BufferedLines {
  private readonly byFile = new Map<number, Range>();
  private lastSrc = -1;
  private last: Range | undefined;

  /** Takes in rows [0, n) of a filled chunk; `fileOf` gives the file a source tuple id belongs to. */
  check(cols: TypedColumns, n: number, fileOf: (src: number) => number): void {
    const value = cols.values[VALUE]!;
    const src = cols.values[SRC]!;
    const line = cols.values[LINE]!;
    const lineNull = cols.nulls[LINE]!;
    for (let o = 0; o < n; o++) {
      if (Number.isNaN(value[o])) continue; // a cell recorded as not reported
      const s = src[o]!;
      if (s !== this.lastSrc || this.last === undefined) {
        this.lastSrc = s;
        const file = fileOf(s);
        this.last = this.byFile.get(file);
        if (this.last === undefined) {
          this.last = { lo: Number.POSITIVE_INFINITY, hi: Number.NEGATIVE_INFINITY, unlined: 0 };
          this.byFile.set(file, this.last);
        }
      }
      const range = this.last;
      if (lineNull[o] === 1) range.unlined++;
      else {
        const l = line[o]!;
        if (l < range.lo) range.lo = l;
        if (l > range.hi) range.hi = l;
      }
    }
  }

  /** Each file's lines, named by `nameOf` (the source dictionary's feed and source of a file number). */
  files(nameOf: (file: number) => { feed: string; uri: string }): FileLines[] {
    return [...this.byFile].map(([file, r]) => ({
      ...nameOf(file),
      lo: r.lo === Number.POSITIVE_INFINITY ? null : r.lo,
      hi: r.hi === Number.NEGATIVE_INFINITY ? null : r.hi,
      unlined: r.unlined,
    }));
  }

  clear(): void {
    this.byFile.clear();
    this.lastSrc = -1;
    this.last = undefined;
  }
}
