import type { FileLines } from "./buffered-lines.ts";
import { literal } from "./sql-literal.ts";
import { WAREHOUSE } from "../schemas/index.ts";

interface Loaded {
  min: number;
  max: number;
}

const keyOf = (f: { feed: string; uri: string }) => `${f.feed}\u0000${f.uri}`;

/**
 * The lines each file has loaded (_source_lines, migration 7), as far as one loader knows them: read from the
 * warehouse the first time a file is buffered, then widened by every merge this loader commits. A merge whose
 * buffered lines lie outside what their file has loaded cannot hold a key already in the warehouse (the key includes
 * feed, source and position), so it skips the lookup; and knowing it here rather than by asking the warehouse saves
 * the merge a statement, which on a busy event loop cost it 25-35 ms of waiting each time.
 *
 * One instance is shared by every buffer of a loader: they merge in turn on one warehouse, and each must see the
 * others' lines. Only the loader writes _source_lines, and only one process writes a warehouse (DuckDB's lock), so
 * nothing else widens them meanwhile. What is read and what is recorded are joined as ranges (lowest and highest), so
 * the order in which a read and a commit come back does not matter.
 */
export class LoadedLines {
  /** By file; undefined: the file has loaded no line. */
  private readonly known = new Map<string, Loaded | undefined>();

  /** The files the loader has not read yet. */
  unknown(files: readonly FileLines[]): FileLines[] {
    return files.filter((f) => !this.known.has(keyOf(f)));
  }

  /** The statement that reads `files`' loaded lines (whose result goes to `learn`); they must not be empty. */
  static query(files: readonly FileLines[]): string {
    const values = files.map((f) => `(${literal(f.feed)}, ${literal(f.uri)})`).join(", ");
    return `SELECT l.source_feed, l.source_uri, l.min_line, l.max_line
FROM (VALUES ${values}) AS f(feed, uri)
  JOIN ${WAREHOUSE.sourceLines} l ON l.source_feed = f.feed AND l.source_uri = f.uri`;
  }

  /** Takes in what `query(files)` read: a file it found no row for has loaded no line. */
  learn(files: readonly FileLines[], rows: readonly Record<string, unknown>[]): void {
    for (const f of files) if (!this.known.has(keyOf(f))) this.known.set(keyOf(f), undefined);
    for (const r of rows) {
      const key = keyOf({ feed: String(r["source_feed"]), uri: String(r["source_uri"]) });
      this.widen(key, Number(r["min_line"]), Number(r["max_line"]));
    }
  }

  /**
   * Whether a buffered row may share its key with a loaded one: some have no line (workbook rows, JSON offsets), or
   * a file's buffered lines overlap the lines it has loaded. Every file must have been read (`unknown` is empty).
   */
  mayHoldLoadedKeys(files: readonly FileLines[]): boolean {
    return files.some((f) => {
      if (f.unlined > 0) return true;
      if (!this.known.has(keyOf(f))) throw new Error(`the loaded lines of ${f.uri} were never read`);
      const loaded = this.known.get(keyOf(f));
      return loaded !== undefined && f.lo !== null && f.hi !== null && f.lo <= loaded.max && f.hi >= loaded.min;
    });
  }

  /** Widens each file's loaded lines by a merge's, once it has committed. */
  record(files: readonly FileLines[]): void {
    for (const f of files) if (f.lo !== null && f.hi !== null) this.widen(keyOf(f), f.lo, f.hi);
  }

  /** The statement that widens _source_lines by `files`' lines inside the merge's transaction (none: undefined). */
  static recordSql(files: readonly FileLines[]): string | undefined {
    const lined = files.filter((f) => f.lo !== null && f.hi !== null);
    if (lined.length === 0) return undefined;
    const values = lined.map((f) => `(${literal(f.feed)}, ${literal(f.uri)}, ${f.lo}, ${f.hi})`).join(", ");
    return `INSERT INTO ${WAREHOUSE.sourceLines} VALUES ${values}
ON CONFLICT (source_feed, source_uri) DO UPDATE
  SET min_line = least(${WAREHOUSE.sourceLines}.min_line, excluded.min_line),
    max_line = greatest(${WAREHOUSE.sourceLines}.max_line, excluded.max_line)`;
  }

  private widen(key: string, min: number, max: number): void {
    const had = this.known.get(key);
    this.known.set(
      key,
      had === undefined ? { min, max } : { min: Math.min(had.min, min), max: Math.max(had.max, max) },
    );
  }
}
