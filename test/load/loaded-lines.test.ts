import { describe, expect, it } from "vitest";
import { BufferedLines, type FileLines } from "../../load/buffered-lines.ts";
import { LoadedLines } from "../../load/loaded-lines.ts";
import { TypedColumns, type TypedKind } from "../../load/typed-chunk.ts";
import { scratchWarehouse } from "./fixtures.ts";

const file = (uri: string, lo: number | null, hi: number | null, unlined = 0): FileLines => ({
  feed: "stats",
  uri,
  lo,
  hi,
  unlined,
});

describe("LoadedLines", () => {
  it("reads the lines each file has loaded from _source_lines; a file with no row has loaded none", async () => {
    const db = await scratchWarehouse();
    try {
      await db.connection.run("INSERT INTO _source_lines VALUES ('stats', 'a.csv', 2, 100)");
      const loaded = new LoadedLines();
      const files = [file("a.csv", 101, 200), file("b.csv", 2, 50)];
      expect(loaded.unknown(files)).toEqual(files);
      loaded.learn(files, (await db.connection.runAndReadAll(LoadedLines.query(files))).getRowObjectsJS());
      expect(loaded.unknown(files)).toEqual([]);
      // a.csv's lines 101-200 follow its loaded 2-100; b.csv has loaded nothing.
      expect(loaded.mayHoldLoadedKeys(files)).toBe(false);
      expect(loaded.mayHoldLoadedKeys([file("a.csv", 100, 120)])).toBe(true);
      expect(loaded.mayHoldLoadedKeys([file("a.csv", 1, 1)])).toBe(false);
    } finally {
      db.close();
    }
  });

  it("says a merge may hold a loaded key when a row has no line, and refuses to guess about a file never read", () => {
    const loaded = new LoadedLines();
    expect(loaded.mayHoldLoadedKeys([file("a.csv", null, null, 3)])).toBe(true);
    expect(() => loaded.mayHoldLoadedKeys([file("a.csv", 2, 3)])).toThrow(/never read/);
  });

  it("widens what it read by what merges committed, whichever came back first", () => {
    const committedFirst = new LoadedLines();
    committedFirst.record([file("a.csv", 500, 600)]);
    committedFirst.learn(
      [file("a.csv", 0, 0)],
      [{ source_feed: "stats", source_uri: "a.csv", min_line: 2, max_line: 100 }],
    );
    const readFirst = new LoadedLines();
    readFirst.learn([file("a.csv", 0, 0)], [{ source_feed: "stats", source_uri: "a.csv", min_line: 2, max_line: 100 }]);
    readFirst.record([file("a.csv", 500, 600)]);
    for (const loaded of [committedFirst, readFirst]) {
      expect(loaded.mayHoldLoadedKeys([file("a.csv", 300, 400)])).toBe(true); // inside 2-600
      expect(loaded.mayHoldLoadedKeys([file("a.csv", 601, 700)])).toBe(false);
    }
  });

  it("records a merge's lines in _source_lines as the merge widens them", async () => {
    const db = await scratchWarehouse();
    try {
      await db.connection.run("INSERT INTO _source_lines VALUES ('stats', 'a.csv', 50, 100)");
      const sql = LoadedLines.recordSql([file("a.csv", 2, 60), file("it's.csv", 7, 9), file("x.xlsx", null, null, 4)]);
      await db.connection.run(sql!);
      const rows = (
        await db.connection.runAndReadAll("SELECT * FROM _source_lines ORDER BY source_uri")
      ).getRowObjectsJS();
      expect(rows).toEqual([
        { source_feed: "stats", source_uri: "a.csv", min_line: 2, max_line: 100 },
        { source_feed: "stats", source_uri: "it's.csv", min_line: 7, max_line: 9 },
      ]);
      expect(LoadedLines.recordSql([file("x.xlsx", null, null, 4)])).toBeUndefined();
    } finally {
      db.close();
    }
  });
});

describe("BufferedLines", () => {
  it("gathers each file's lowest and highest line and its rows without one, leaving out cells without a value", () => {
    // buffer_obs's 13 columns (merge-buffer-rows.ts): value is column 4, src 7, line 8.
    const kinds: TypedKind[] = Array.from({ length: 13 }, (_, c) => (c === 4 || c === 11 ? "double" : "integer"));
    const cols = new TypedColumns(kinds);
    const rows: Array<[src: number, line: number | null, value: number]> = [
      [0, 10, 1],
      [0, 4, 2],
      [1, 7, 3], // another tuple of the same file (another Kafka message)
      [2, null, 4],
      [0, 99, Number.NaN], // not reported: not a fact, so not a line the merge loads
      [3, 5, Number.NaN],
    ];
    rows.forEach(([src, line, value], r) => {
      cols.put(7, r, src);
      cols.put(8, r, line);
      cols.put(4, r, value);
    });
    const lines = new BufferedLines();
    const fileOf = (src: number) => [0, 0, 1, 2][src]!;
    lines.check(cols, rows.length, fileOf);
    const names = ["a.csv", "b.xlsx", "c.csv"];
    expect(lines.files((f) => ({ feed: "stats", uri: names[f]! }))).toEqual([
      file("a.csv", 4, 10),
      file("b.xlsx", null, null, 1),
      // c.csv sent only a cell without a value: the merge loads no fact of it.
    ]);
    lines.clear();
    expect(lines.files((f) => ({ feed: "stats", uri: names[f]! }))).toEqual([]);
  });
});
