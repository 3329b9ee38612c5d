import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type DataType,
  Dictionary,
  Field,
  Float64,
  Int32,
  Schema,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
  type Vector,
} from "apache-arrow";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  decodeRecordBatch,
  encodeRecordBatch,
  fixedTextRows,
  RecordBatchDecodeError,
  type RecordBatch,
  type RecordValues,
} from "../../schemas/index.ts";
import { pythonWith } from "../helpers/python-venv.ts";

const dir = mkdtempSync(join(tmpdir(), "gongfu-record-codec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const META = {
  kind: "records" as const,
  feed: "household-survey",
  uri: "住户.csv",
  checksum: "ab".repeat(32),
  seq: 2,
  receivedAt: "2024-01-01T00:00:00.000Z",
  vintage: "2024-01-10T00:00:00+08:00",
  last: false,
};

/**
 * How record batches were written before the shared column codec (Arrow's builders, Int32 dictionary indices):
 * messages of that form may still wait on a topic when a loader is upgraded, and must read the same.
 */
function encodeWithArrowBuilders(b: RecordBatch): Uint8Array {
  const vectorOf = (c: RecordValues): Vector =>
    c.kind !== "number"
      ? vectorFromArray(c.kind === "text" ? c.values : fixedTextRows(c), new Dictionary(new Utf8(), new Int32()))
      : vectorFromArray(
          Array.from(c.values, (v) => (Number.isNaN(v) ? null : v)),
          new Float64(),
        );
  const names = Object.keys(b.columns);
  const vectors = names.map((n) => vectorOf(b.columns[n]!));
  vectors.push(vectorFromArray(Array.from(b.lines), new Int32()));
  const all = [...names, "source_line"];
  const fields = all.map((n, i) => new Field(n, vectors[i]!.type as DataType, true));
  const metadata = new Map(
    Object.entries({
      "gongfu.batch": "records/v1",
      "gongfu.feed": b.feed,
      "gongfu.uri": b.uri,
      "gongfu.checksum": b.checksum,
      "gongfu.seq": String(b.seq),
      "gongfu.received_at": b.receivedAt,
      "gongfu.vintage": b.vintage,
      "gongfu.last": String(b.last),
    }),
  );
  const table = new Table(Object.fromEntries(all.map((n, i) => [n, vectors[i]!])));
  return tableToIPC(new Table(new Schema(fields, metadata), table.batches), "stream");
}

const text = fc.option(
  fc.oneof(fc.constantFrom("330102", "330212", "p_ab12", "杭州市", ""), fc.string({ unit: "grapheme" })),
  {
    nil: null,
  },
);
const number = fc.oneof(fc.double({ noNaN: true }), fc.constant(Number.NaN), fc.integer().map(Number));

const batches = fc.integer({ min: 0, max: 300 }).chain((rows) =>
  fc.record({
    rows: fc.constant(rows),
    id: fc.array(text, { minLength: rows, maxLength: rows }),
    county: fc.array(fc.option(fc.constantFrom("330102", "330105", "330212"), { nil: null }), {
      minLength: rows,
      maxLength: rows,
    }),
    income: fc.array(number, { minLength: rows, maxLength: rows }),
    lines: fc.array(fc.integer({ min: 1, max: 2 ** 31 - 1 }), { minLength: rows, maxLength: rows }),
  }),
);

const batchOf = (g: {
  rows: number;
  id: (string | null)[];
  county: (string | null)[];
  income: number[];
  lines: number[];
}) =>
  ({
    ...META,
    rows: g.rows,
    lines: Int32Array.from(g.lines),
    columns: {
      household_id: { kind: "text", values: g.id },
      county_code: { kind: "text", values: g.county },
      disposable_income: { kind: "number", values: Float64Array.from(g.income) },
    },
  }) satisfies RecordBatch;

describe("record batches on the bus", () => {
  it("read back exactly what was written, nulls, NaN, unicode and all", () => {
    fc.assert(
      fc.property(batches, (g) => {
        const batch = batchOf(g);
        expect(decodeRecordBatch(encodeRecordBatch(batch))).toEqual(batch);
      }),
      { numRuns: 200 },
    );
  });

  // Pseudonyms travel in one string on ingest's side and as a text column on the wire, like any other identifier.
  it("write pseudonyms held as one string as the text column they stand for", () => {
    const width = 4;
    const ids = ["p_01", null, "p_02", "p_01"];
    const text = ids.map((v) => v ?? " ".repeat(width)).join("");
    const fixed = { kind: "fixed" as const, width, text, nulls: Uint8Array.from(ids, (v) => (v === null ? 1 : 0)) };
    expect(fixedTextRows(fixed)).toEqual(ids);
    const batch = batchOf({
      rows: 4,
      id: ids,
      county: ["330102", "330102", null, "330105"],
      income: [1, 2, 3, 4],
      lines: [2, 3, 4, 5],
    });
    const held: RecordBatch = { ...batch, columns: { ...batch.columns, household_id: fixed } };
    expect(decodeRecordBatch(encodeRecordBatch(held))).toEqual(batch);
  });

  it("read a message written the earlier way (Arrow's builders) as before", () => {
    fc.assert(
      fc.property(batches, (g) => {
        const batch = batchOf(g);
        expect(decodeRecordBatch(encodeWithArrowBuilders(batch))).toEqual(batch);
      }),
      { numRuns: 100 },
    );
  });

  it("refuse what is not a record batch with a decode error, not a crash", () => {
    expect(() => decodeRecordBatch(Uint8Array.from([1, 2, 3]))).toThrow(RecordBatchDecodeError);
  });

  it("are read by pyarrow: identifiers and regions as categoricals, the income as doubles", () => {
    const python = pythonWith(["pyarrow", "pandas"]);
    const batch = batchOf({
      rows: 3,
      id: ["p_1", "p_2", null],
      county: ["330102", "330102", "330212"],
      income: [120000.5, Number.NaN, 80000],
      lines: [2, 3, 5],
    });
    const file = join(dir, "records.arrows");
    writeFileSync(file, encodeRecordBatch(batch));
    const script = join(dir, "read.py");
    writeFileSync(
      script,
      `import json, sys, pyarrow.ipc as ipc
t = ipc.open_stream(open(sys.argv[1], "rb")).read_all()
print(json.dumps({"meta": {k.decode(): v.decode() for k, v in t.schema.metadata.items()},
  "types": {f.name: str(f.type) for f in t.schema}, "rows": t.to_pylist()}, ensure_ascii=False))`,
    );
    const got = JSON.parse(execFileSync(python, [script, file], { encoding: "utf8" })) as {
      meta: Record<string, string>;
      types: Record<string, string>;
      rows: unknown[];
    };
    expect(got.meta).toMatchObject({ "gongfu.batch": "records/v1", "gongfu.feed": "household-survey" });
    expect(got.types["county_code"]).toBe("dictionary<values=string, indices=int8, ordered=0>");
    expect(got.types["disposable_income"]).toBe("double");
    expect(got.rows).toEqual([
      { household_id: "p_1", county_code: "330102", disposable_income: 120000.5, source_line: 2 },
      { household_id: "p_2", county_code: "330102", disposable_income: null, source_line: 3 },
      { household_id: null, county_code: "330212", disposable_income: 80000, source_line: 5 },
    ]);
  });
});
