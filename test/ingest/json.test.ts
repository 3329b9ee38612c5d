import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readRows, type ParsedRow } from "../../ingest/index.ts";
import { LONG_LAYOUT, testSpec } from "./helpers/specs.ts";

const spec = (format: Record<string, unknown> = { kind: "json" }, limits?: Record<string, number>) =>
  testSpec({ format, layout: LONG_LAYOUT, ...(limits ? { limits } : {}) });

async function read(
  text: string,
  format?: Record<string, unknown>,
  chunk = 7,
  limits?: Record<string, number>,
): Promise<ParsedRow[]> {
  const bytes = Buffer.from(text, "utf8");
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  const out: ParsedRow[] = [];
  for await (const row of readRows(Readable.from(parts), spec(format, limits))) out.push(row);
  return out;
}
const codes = (rows: ParsedRow[]) => rows.map((r) => (r.ok ? "ok" : r.code));

describe("reading a JSON feed", () => {
  it("reads an array of objects, keeping numbers as written and flattening nested objects with dots", async () => {
    const rows = await read(
      '[{"region":"330100","period":2024,"value":1.50,"meta":{"src":"卫健委","tags":["a",null]},"ok":true}]',
    );
    expect(rows).toEqual([
      {
        ok: true,
        position: { offset: 0 },
        fields: {
          region: "330100",
          period: "2024",
          value: "1.50",
          "meta.src": "卫健委",
          "meta.tags.0": "a",
          "meta.tags.1": "",
          ok: "true",
        },
      },
    ]);
  });

  it("finds the data array at a dot path inside an object, skipping what comes before it", async () => {
    const text =
      '{"meta":{"note":"a \\"quoted\\" ] }","data":[1]},"result":{"items":[{"region":"a"},{"region":"b"}]},"tail":[';
    const rows = await read(text, { kind: "json", dataPath: "result.items" });
    expect(rows.map((r) => r.ok && r.fields["region"])).toEqual(["a", "b"]);
  });

  it("turns elements that are not objects or not valid into failed rows with their index, and goes on", async () => {
    const rows = await read('[{"region":"a"}, 5, {"region": }, "x", {"region":"b"}]');
    expect(codes(rows)).toEqual(["ok", "not_an_object", "bad_json", "not_an_object", "ok"]);
    expect(rows.map((r) => r.position.offset)).toEqual([0, 1, 2, 3, 4]);
  });

  it("produces the records before a truncation and reports the truncation once", async () => {
    const rows = await read('{"data":[{"region":"a"},{"region":"b"},{"regi', { kind: "json", dataPath: "data" });
    expect(codes(rows)).toEqual(["ok", "ok", "truncated"]);
    expect(rows[2]!.position).toEqual({ offset: 2 });
  });

  it("turns a source that is not JSON, an empty source and a missing data array into one failed row each", async () => {
    expect(codes(await read("<html>502 Bad Gateway</html>"))).toEqual(["not_json"]);
    expect(codes(await read(""))).toEqual(["empty_file"]);
    expect(codes(await read('{"data":[]}'))).toEqual(["no_data_array"]);
    expect(codes(await read('{"data":{"a":1}}', { kind: "json", dataPath: "data" }))).toEqual(["no_data_array"]);
    expect(codes(await read('{"rows":[]}', { kind: "json", dataPath: "data" }))).toEqual(["no_data_array"]);
  });

  it("rejects a record longer than the limit without keeping it in memory, and goes on", async () => {
    const rows = await read(`[{"region":"${"x".repeat(500)}"},{"region":"b"}]`, undefined, 7, { maxRecordBytes: 100 });
    expect(codes(rows)).toEqual(["oversize_record", "ok"]);
  });

  it("reads the same records however the bytes are split into chunks", async () => {
    const record = fc.record({
      region: fc.string(),
      value: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
      nested: fc.record({ a: fc.string() }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 8 }), fc.integer({ min: 1, max: 40 }), async (records, chunk) => {
        const text = JSON.stringify({ data: records, after: "]}" });
        const whole = await read(text, { kind: "json", dataPath: "data" }, text.length + 1);
        expect(await read(text, { kind: "json", dataPath: "data" }, chunk)).toEqual(whole);
        expect(whole).toHaveLength(records.length);
        expect(whole.every((r) => r.ok)).toBe(true);
      }),
      { seed: 20250101, numRuns: 150 },
    );
  });
});

describe("reading an NDJSON feed", () => {
  const ndjson = { kind: "ndjson" };

  it("reads one object per line, skipping blank lines and accepting CRLF", async () => {
    const rows = await read('{"region":"a","value":1}\r\n\r\n{"region":"b","n":{"x":2}}\n', ndjson, 5);
    expect(rows).toEqual([
      { ok: true, position: { line: 1 }, fields: { region: "a", value: "1" } },
      { ok: true, position: { line: 3 }, fields: { region: "b", "n.x": "2" } },
    ]);
  });

  it("turns a bad line into a failed row with its line number, and goes on", async () => {
    const rows = await read('{"region":"a"}\nnot json\n[1,2]\n{"region":"b"}', ndjson);
    expect(rows.map((r) => [r.ok ? "ok" : r.code, r.position.line])).toEqual([
      ["ok", 1],
      ["bad_json", 2],
      ["not_an_object", 3],
      ["ok", 4],
    ]);
  });

  it("rejects an oversize line and reports an empty file", async () => {
    expect(
      codes(await read(`{"region":"${"x".repeat(300)}"}\n{"region":"b"}\n`, ndjson, 7, { maxRecordBytes: 100 })),
    ).toEqual(["oversize_record", "ok"]);
    expect(codes(await read("\n\n", ndjson))).toEqual(["empty_file"]);
  });
});
