import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRecordColumns, type RecordCellColumn } from "../../../ingest/records/record-columns.ts";
import { defaultCatalog, parseRecordFeedSpec, type DeadLetterReason } from "../../../schemas/index.ts";

const catalog = defaultCatalog();

const specOf = (eventTime: "year" | "day" | "at") =>
  parseRecordFeedSpec(
    `id: test-chunks
name: t
department: { code: t, name: t }
connector: { kind: file-drop, path: t, pattern: "*.csv" }
format: { kind: csv }
records:
  columns:
    person: { type: string, personal: identifier }
    note: { type: string, optional: true }
    county: { type: region }
    year: { type: integer, min: 1990 }
    size: { type: integer, optional: true, min: 1 }
    income: { type: number, personal: attribute, optional: true, min: 0 }
    day: { type: date, optional: true }
    at: { type: timestamp, optional: true }
  key: [person]
  region: county
  eventTime: ${eventTime}
frequency: annual
vintage: { published: 2024-03-01 }
`,
    "t.yaml",
  );

/** Valid and invalid texts of every column, with padding and empty cells among them. */
const pools: Record<string, readonly string[]> = {
  person: ["HH-1", " HH-2 ", "户主甲", "", "HH-1"],
  note: ["", "a", " b ", "注"],
  county: ["330102", "330105", " 330212", "999999", "", "33010"],
  year: ["2024", "1989", "20x4", "", "+2023", "2101", "1899"],
  size: ["3", "0", "", "x", "12", "-1"],
  income: ["50000", "1,200.5", "-3", "", "abc", "1e3", "Infinity", "0"],
  day: ["2024-02-29", "2023-02-29", "", "2024-13-01", "1899-12-31", "2024-1-1"],
  at: ["2024-03-01T08:00:00+08:00", "", "not a time", "2024-03-01 08:00", "1800-01-01T00:00:00Z"],
};
const names = Object.keys(pools);
const records = fc.array(fc.tuple(...names.map((n) => fc.constantFrom(...pools[n]!))), { minLength: 0, maxLength: 60 });

describe("record columns read a chunk column by column", () => {
  for (const eventTime of ["year", "day", "at"] as const)
    it(`exactly as record by record: values, lines and reasons (event time ${eventTime})`, () => {
      const spec = specOf(eventTime);
      fc.assert(
        fc.property(records, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), fc.nat(), (rows, coded, cut) => {
          const byRow = createRecordColumns(spec, catalog);
          const byChunk = createRecordColumns(spec, catalog);
          expect(byChunk.names).toEqual(names);
          const rowReasons: { row: number; reasons: readonly DeadLetterReason[] }[] = [];
          rows.forEach((texts, row) => {
            const reasons = byRow.addTexts(texts, 10 + row);
            if (reasons.length > 0) rowReasons.push({ row, reasons: [...reasons] });
          });
          // Each column plain or coded into a dictionary of its distinct texts, as DuckDB's reader gives them.
          const cells = names.map((_, k): RecordCellColumn => {
            const texts = rows.map((r) => r[k]!);
            if (!coded[k]) return texts;
            const dictionary = [...new Set(texts)];
            return { codes: Int32Array.from(texts, (t) => dictionary.indexOf(t)), dictionary };
          });
          // The chunk read in two slices, as a batch filling mid-chunk cuts it.
          const at = rows.length === 0 ? 0 : cut % (rows.length + 1);
          const chunkReasons = [
            ...byChunk.addChunk(cells, 0, at, 10),
            ...byChunk.addChunk(cells, at, rows.length - at, 10 + at),
          ];
          expect(chunkReasons).toEqual(rowReasons);
          expect(byChunk.rows).toBe(byRow.rows);
          expect(byChunk.take()).toEqual(byRow.take());
        }),
        { numRuns: 400 },
      );
    });

  it("takes the whole column when the file lacks an optional one, and refuses every row when it lacks a required one", () => {
    const spec = specOf("year");
    const columns = createRecordColumns(spec, catalog);
    const cells: RecordCellColumn[] = names.map((n) => (n === "note" || n === "size" ? undefined : [pools[n]![0]!]));
    expect(columns.addChunk(cells, 0, 1, 2)).toEqual([]);
    const taken = columns.take();
    expect(taken.rows).toBe(1);
    expect(taken.columns["note"]).toEqual({ kind: "text", values: [null] });
    expect(taken.columns["size"]).toEqual({ kind: "number", values: Float64Array.of(Number.NaN) });
    const missingYear = names.map((n) => (n === "year" ? undefined : [pools[n]![0]!]));
    expect(columns.addChunk(missingYear, 0, 1, 2)).toEqual([
      { row: 0, reasons: [{ path: "year", code: "missing_value", message: "year has no value" }] },
    ]);
    expect(columns.rows).toBe(0);
  });
});
