import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readRows, type ParsedRow } from "../../ingest/index.ts";
import { normalizeRecord } from "../../transform/index.ts";
import { Observation, RawRecord, type SourcePosition } from "../../schemas/index.ts";
import { caseSpec, longLayout, WIDE_COLUMNS, WIDE_HEADER } from "./corpus/case.ts";
import { corpusCatalog } from "./corpus/pipeline.ts";
import { createRegionResolver } from "../../schemas/index.ts";

/** Fixed seed and bounded runs: the same inputs in CI every time, a few seconds in all. */
const RUNS = { seed: 20251202, numRuns: Number(process.env["GONGFU_FUZZ_RUNS"] ?? 200) };
const specs = {
  csv: caseSpec("fuzz-csv", { kind: "csv" }, { limits: { maxRecordBytes: 256, maxFileBytes: 1e9 } }),
  ndjson: caseSpec("fuzz-ndjson", { kind: "ndjson" }, { limits: { maxRecordBytes: 256, maxFileBytes: 1e9 } }),
  json: caseSpec(
    "fuzz-json",
    { kind: "json", dataPath: "data" },
    { limits: { maxRecordBytes: 256, maxFileBytes: 1e9 } },
  ),
};

/** Reads bytes in arbitrary chunks (chunk borders are where streaming parsers break); never throws, or the test fails. */
async function read(bytes: Uint8Array, spec: (typeof specs)[keyof typeof specs], chunk: number): Promise<ParsedRow[]> {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(Buffer.from(bytes.subarray(i, i + chunk)));
  const rows: ParsedRow[] = [];
  for await (const row of readRows(Readable.from(parts), spec)) rows.push(row);
  return rows;
}

const where = (p: SourcePosition) => p.line ?? p.offset ?? -1;
const nondecreasing = (rows: ParsedRow[]) =>
  rows.every((r, i) => i === 0 || where(r.position) >= where(rows[i - 1]!.position));
/** Lines of ASCII text that hold something besides blanks. */
const contentLines = (text: string) => text.split("\n").filter((l) => l.trim() !== "").length;

const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    "\uFEFF",
    "\u0000",
    "\u0007",
    '"',
    "\r",
    "=cmd|'/C calc'!A0",
    "NaN",
    "杭州市",
    "2024",
    "—",
    "1,234.5",
  ),
);
const asciiLine = fc.string({ unit: fc.constantFrom(...'ab{}[]":,0123456789 \t\r-.etruфn\u0000'), maxLength: 40 });

describe("fuzz: the readers never throw, keep positions in order, and account for every record", () => {
  it("CSV: arbitrary bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 1, max: 64 }), async (bytes, chunk) => {
        const rows = await read(bytes, specs.csv, chunk);
        expect(nondecreasing(rows)).toBe(true);
        expect(rows.length).toBeGreaterThan(0); // at least "empty file" or "header does not match"
      }),
      RUNS,
    );
  });

  it("CSV: structured rows with wrong cells, missing and extra fields: one row out per data line", async () => {
    const line = fc
      .array(
        junk.map((s) => s.replace(/["\r\n]/g, "")),
        { minLength: 1, maxLength: 8 },
      )
      .map((cells) => cells.join(","));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 20 }), fc.integer({ min: 1, max: 50 }), async (lines, chunk) => {
        const body = lines.filter((l) => l !== "");
        const rows = await read(Buffer.from(`${WIDE_HEADER.join(",")}\n${body.join("\n")}\n`), specs.csv, chunk);
        expect(rows.length).toBe(body.length === 0 ? 0 : body.length);
        expect(rows.map((r) => r.position.line)).toEqual(body.map((_, i) => i + 2));
        for (const r of rows) if (r.ok) expect(Object.keys(r.fields)).toEqual(WIDE_HEADER);
      }),
      RUNS,
    );
  });

  it("NDJSON: arbitrary bytes, and ASCII lines counted one for one", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 1, max: 64 }), async (bytes, chunk) => {
        const rows = await read(bytes, specs.ndjson, chunk);
        expect(rows.every((r, i) => i === 0 || where(r.position) > where(rows[i - 1]!.position))).toBe(true);
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            asciiLine,
            fc.jsonValue().map((v) => JSON.stringify(v)),
          ),
          { maxLength: 15 },
        ),
        fc.integer({ min: 1, max: 50 }),
        async (lines, chunk) => {
          const text = lines.map((l) => l.replace(/\n/g, "")).join("\n");
          const rows = await read(Buffer.from(text), specs.ndjson, chunk);
          const n = contentLines(text.replace(/\u0000/g, "x"));
          expect(rows.length).toBe(n === 0 ? 1 : n); // an empty file is one dead letter
        },
      ),
      RUNS,
    );
  });

  it("JSON: arbitrary bytes; an array of any JSON values gives one row per element at its offset", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 1, max: 64 }), async (bytes, chunk) => {
        expect(nondecreasing(await read(bytes, specs.json, chunk))).toBe(true);
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 50 }),
        async (elements, chunk) => {
          const rows = await read(
            Buffer.from(JSON.stringify({ meta: { note: "x" }, data: elements })),
            specs.json,
            chunk,
          );
          expect(rows.map((r) => r.position.offset)).toEqual(elements.map((_, i) => i));
        },
      ),
      RUNS,
    );
  });

  it(
    "JSON: a document cut anywhere loses nothing silently: whole elements before the cut, then " +
      "one failed row (none once the array is closed)",
    async () => {
      const doc = JSON.stringify({
        data: Array.from({ length: 6 }, (_, i) => ({
          region: "杭州市",
          period: "2024",
          indicator: "gdp",
          value: i,
          note: 'a,b]}"',
        })),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: doc.length - 1 }),
          fc.integer({ min: 1, max: 50 }),
          async (cut, chunk) => {
            const rows = await read(Buffer.from(doc.slice(0, cut)), specs.json, chunk);
            const closed = cut > doc.lastIndexOf("]"); // what follows the data array is not read
            expect(rows.filter((r) => !r.ok)).toHaveLength(closed ? 0 : 1);
            expect(rows.at(-1)?.ok ?? false).toBe(closed);
            if (closed) expect(rows).toHaveLength(6);
            const whole = rows.filter((r) => r.ok);
            expect(whole.map((r) => r.position.offset)).toEqual(whole.map((_, i) => i));
          },
        ),
        RUNS,
      );
    },
  );
});

describe("fuzz: normalizeRecord never throws and gives valid observations or reasons for every cell", () => {
  const catalog = corpusCatalog();
  const regions = createRegionResolver(catalog.regions);
  const cellText = fc.oneof(
    fc.string({ maxLength: 16 }),
    fc.double().map(String),
    fc.integer().map(String),
    junk,
    fc.constantFrom("1e999", "-0", "１２３", "12%", "75万元", "0x10", "", "—"),
  );
  const check = (spec: ReturnType<typeof caseSpec>, fields: Record<string, string>) => {
    const record = RawRecord.parse({
      feed: spec.id,
      source: { feed: spec.id, uri: "f.csv", position: { line: 2 } },
      checksum: "0".repeat(64),
      receivedAt: "2025-01-01T00:00:00.000Z",
      vintage: "2025-01-01T00:00:00.000Z",
      fields,
    });
    const result = normalizeRecord(record, { spec, catalog, regions, ingestedAt: "2025-01-02T00:00:00.000Z" });
    for (const o of result.observations)
      expect(Observation.safeParse(o).success && Number.isFinite(o.value)).toBe(true);
    for (const r of [...result.recordReasons, ...result.rejectedCells.flatMap((c) => c.reasons)])
      expect(r.message.length).toBeGreaterThan(0);
    return result;
  };

  it("wide rows: each value cell is an observation, a rejected cell or a missing marker, unless the whole record failed", () => {
    const wide = caseSpec("fuzz-wide", { kind: "csv" });
    fc.assert(
      fc.property(
        fc.oneof(cellText, fc.constantFrom("杭州市", "330100", "普陀", "Ningbo")),
        fc.oneof(cellText, fc.constantFrom("2024", "2024Q3", "2024-09")),
        fc.array(cellText, { minLength: 3, maxLength: 3 }),
        (region, period, values) => {
          const fields = {
            地区: region,
            年份: period,
            [WIDE_COLUMNS.income]: values[0]!,
            [WIDE_COLUMNS.urban]: values[1]!,
            [WIDE_COLUMNS.people]: values[2]!,
          };
          const r = check(wide, fields);
          if (r.recordReasons.length > 0) expect(r.observations).toEqual([]);
          else expect(r.observations.length + r.rejectedCells.length + r.missing).toBe(3);
        },
      ),
      { ...RUNS, numRuns: RUNS.numRuns * 5 },
    );
  });

  it("long rows with arbitrary indicator, unit and extra fields", () => {
    const long = caseSpec("fuzz-long", { kind: "ndjson" }, longLayout());
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 4 }),
        fc.oneof(cellText, fc.constantFrom("gdp", "urbanization_rate", "resident_population")),
        cellText,
        cellText,
        (extra, indicator, value, unit) => {
          const r = check(long, { ...extra, region: "宁波市", period: "2023", indicator, value, unit });
          expect(
            r.observations.length + r.rejectedCells.length + r.missing + (r.recordReasons.length > 0 ? 1 : 0),
          ).toBe(1);
        },
      ),
      { ...RUNS, numRuns: RUNS.numRuns * 5 },
    );
  });
});
