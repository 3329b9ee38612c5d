import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DistinctPositions } from "../../load/distinct-positions.ts";
import { TypedColumns } from "../../load/typed-chunk.ts";
import type { SourcePosition } from "../../schemas/index.ts";
import { factsAfterMerges, observation } from "./fixtures.ts";

/** A buffered row's source: its file (feed and source), sheet and position parts. */
interface At {
  file?: number;
  sheet?: number;
  line?: number;
  row?: number;
  offset?: number;
  column?: number;
}

/** Rows as the typed columns of a chunk; each row's source tuple is its file. */
function chunkOf(part: readonly At[]): TypedColumns {
  const cols = new TypedColumns(Array.from({ length: 13 }, (_, c) => (c === 4 || c === 11 ? "double" : "integer")));
  part.forEach((a, o) => {
    cols.put(7, o, a.file ?? 0);
    cols.put(8, o, a.line);
    cols.put(9, o, a.sheet);
    cols.put(10, o, a.row);
    cols.put(11, o, a.offset);
    cols.put(12, o, a.column);
  });
  return cols;
}

/** Checks rows in chunks of `chunk`, as the merge buffer appends them. */
function unique(at: readonly At[], chunk = 2): boolean {
  const d = new DistinctPositions();
  for (let start = 0; start < at.length; start += chunk) {
    const part = at.slice(start, start + chunk);
    d.check(chunkOf(part), part.length, (src) => src);
  }
  return d.unique;
}

const line = (n: number, column?: number): At => (column === undefined ? { line: n } : { line: n, column });
const sheetRow = (sheet: number, row: number): At => ({ sheet, row });

describe("DistinctPositions: can two buffered rows share a key?", () => {
  it("no, while each file's lines, sheet rows or offsets go forward", () => {
    for (const rows of [
      [2, 3, 9, 10, 11].map((n) => line(n)),
      [sheetRow(1, 5), sheetRow(1, 6), sheetRow(2, 5), sheetRow(2, 6)],
      [0, 1, 7].map((offset) => ({ offset })),
    ])
      expect(unique(rows)).toBe(true);
  });

  it("no, for one line's columns of a wide layout", () => {
    expect(unique([line(2, 1), line(2, 2), line(3, 1), line(3, 2)])).toBe(true);
  });

  it("no, for two files whose rows interleave, each going forward", () => {
    expect(unique([0, 1, 0, 1].map((file, i) => ({ file, line: 2 + Math.floor(i / 2) })))).toBe(true);
  });

  it("maybe, when a file's position goes back or repeats: a batch delivered again", () => {
    for (const rows of [
      [2, 3, 2, 3].map((n) => line(n)),
      [line(2), line(2)],
      [line(2, 1), line(2, 1)],
      [sheetRow(1, 5), sheetRow(2, 5), sheetRow(1, 5)],
    ])
      expect(unique(rows)).toBe(false);
  });

  it("maybe, for a row with no single position: a whole-source value, or a line and a row at once", () => {
    expect(unique([line(2), {}])).toBe(false);
    expect(unique([{ line: 2, row: 2 }])).toBe(false);
  });

  it("stays 'maybe' for the rest of the buffer, and starts over once cleared", () => {
    const d = new DistinctPositions();
    const cols = chunkOf([line(4), line(4)]);
    d.check(cols, 2, (s) => s);
    expect(d.unique).toBe(false);
    d.check(cols, 1, (s) => s);
    expect(d.unique).toBe(false);
    d.clear();
    d.check(cols, 1, (s) => s);
    expect(d.unique).toBe(true);
  });
});

/** One delivery into a merge: rows of one source from line `from`, in one position kind. */
const delivery = fc.record({
  uri: fc.constantFrom("a.csv", "b.json"),
  from: fc.integer({ min: 2, max: 12 }),
  count: fc.integer({ min: 1, max: 5 }),
  vintage: fc.constantFrom("2024-01-20T00:00:00.000Z", "2024-03-01T00:00:00.000Z"),
  shift: fc.constantFrom(0, 0, 1),
  kind: fc.constantFrom("line", "wide", "sheet", "offset", "none"),
});
type Delivery = typeof delivery extends fc.Arbitrary<infer T> ? T : never;

function positionOf(kind: Delivery["kind"], n: number): SourcePosition {
  if (kind === "line") return { line: n };
  if (kind === "wide") return { line: Math.floor(n / 2), column: n % 2 === 0 ? "2023" : "2024" };
  if (kind === "sheet") return { sheet: "表1", row: n };
  if (kind === "offset") return { offset: n };
  return {};
}

function load(merges: Delivery[][], always: boolean) {
  const observations = merges.map((merge) =>
    merge.flatMap((d) =>
      Array.from({ length: d.count }, (_, i) => {
        const n = d.from + i;
        return observation({
          period: String(2000 + (n % 3)),
          value: n * 10 + d.shift,
          vintage: d.vintage,
          source: { feed: "stats", uri: d.uri, position: positionOf(d.kind, n) },
        });
      }),
    ),
  );
  return factsAfterMerges(observations, { alwaysLookUpPresent: always, alwaysFirstOfEachKey: always });
}

describe("the merge without the first-delivery step where every buffered row has its own position", () => {
  it("loads exactly what the merge with every check loads: deliveries again in one buffer, positions of every kind", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(delivery, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
        async (merges) => {
          expect(await load(merges, false)).toEqual(await load(merges, true));
        },
      ),
      { numRuns: 20 },
    );
  });

  it("keeps one row when a buffer holds the same lines twice", async () => {
    const once: Delivery = {
      uri: "a.csv",
      from: 2,
      count: 4,
      vintage: "2024-01-20T00:00:00.000Z",
      shift: 0,
      kind: "line",
    };
    expect(await load([[once, { ...once, shift: 1 }]], false)).toHaveLength(4);
  });
});
