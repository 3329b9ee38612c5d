import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  arrowSchemaText,
  BatchDecodeError,
  decodeObservationBatch,
  decodeRawBatch,
  encodeObservationBatch,
  encodeRawBatch,
  ObservationBatchBuilder,
  PUBLISHED_ARROW_SCHEMAS,
  RawBatchBuilder,
  rawBatchOf,
  rawRecordsOf,
} from "../../schemas/index.ts";

const source = {
  feed: "stats",
  uri: "2024/公报.csv",
  checksum: "ab".repeat(32),
  receivedAt: "2026-01-05T07:59:00.000Z",
};

function rawBatch() {
  const b = new RawBatchBuilder({ ...source, seq: 3 });
  b.add({ line: 2 }, { 地区: "杭州市", 数值: "１２３" }, "2025-01-20T00:00:00.000Z");
  // A field seen first on a later row, and one row without the first field.
  b.add({ line: 3 }, { 数值: "—", 备注: "初步数" }, "2025-01-20T00:00:00.000Z");
  b.add({ sheet: "2024年", row: 5 }, { 地区: "杭州市", 数值: "8.5%" }, "2025-02-01T00:00:00.000Z");
  b.add({ offset: 0 }, { 地区: "", 数值: "" }, "2025-02-01T00:00:00.000Z");
  return b.build();
}

describe("raw batches", () => {
  it("encode every distinct text once and give back each row exactly as it was read", () => {
    const b = rawBatch();
    expect(b.fields.map((f) => f.name)).toEqual(["地区", "数值", "备注"]);
    expect(b.fields[0]!.column.values).toEqual(["杭州市", ""]);
    expect(rawRecordsOf(b)).toEqual([
      {
        ...common(),
        source: { ...common().source, position: { line: 2 } },
        fields: { 地区: "杭州市", 数值: "１２３" },
      },
      { ...common(), source: { ...common().source, position: { line: 3 } }, fields: { 数值: "—", 备注: "初步数" } },
      {
        ...common("2025-02-01T00:00:00.000Z"),
        source: { ...common().source, position: { sheet: "2024年", row: 5 } },
        fields: { 地区: "杭州市", 数值: "8.5%" },
      },
      {
        ...common("2025-02-01T00:00:00.000Z"),
        source: { ...common().source, position: { offset: 0 } },
        fields: { 地区: "", 数值: "" },
      },
    ]);
  });

  it("survive Arrow IPC unchanged, absent fields as nulls and empty text as empty text", () => {
    const b = rawBatch();
    const bytes = encodeRawBatch(b);
    const back = decodeRawBatch(bytes);
    expect(rawRecordsOf(back)).toEqual(rawRecordsOf(b));
    expect(back.seq).toBe(3);
    // As a Kafka consumer receives it: bytes with the encoding header.
    expect(rawRecordsOf(bytes, { "gongfu-encoding": "arrow-ipc" })).toEqual(rawRecordsOf(b));
  });

  it("carry any text through Arrow IPC: a string as it was, a lone surrogate as U+FFFD (as Arrow's own writer does)", () => {
    const text = fc.oneof(fc.string({ unit: "grapheme", maxLength: 8 }), fc.string({ unit: "binary", maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(text, fc.option(text, { nil: undefined })), { maxLength: 30 }), (rows) => {
        const b = new RawBatchBuilder({ ...source, seq: 0 });
        for (const [i, [a, c]] of rows.entries())
          b.add({ line: i + 2 }, c === undefined ? { a } : { a, c }, "2025-01-20T00:00:00.000Z");
        const built = b.build();
        const back = decodeRawBatch(encodeRawBatch(built));
        const wellFormed = (r: ReturnType<typeof rawRecordsOf>[number]) => ({
          ...r,
          fields: Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, v.toWellFormed()])),
        });
        expect(rawRecordsOf(back)).toEqual(rawRecordsOf(built).map(wellFormed));
      }),
      { numRuns: 300 },
    );
  });

  it("refuse bytes of another kind or version, and bytes that are not Arrow", () => {
    const observations = encodeObservationBatch(
      new ObservationBatchBuilder({ ...source, seq: 0, ingestedAt: "t" }).build(),
    );
    expect(() => decodeRawBatch(observations)).toThrow(/expected a raw\/v1 batch, got observations\/v1/);
    expect(() => rawBatchOf(new Uint8Array([1, 2, 3]), { "gongfu-encoding": "arrow-ipc" })).toThrow(BatchDecodeError);
  });

  it("leave a single JSON record as it is", () => {
    const record = { feed: "x", fields: {} };
    expect(rawBatchOf(record, undefined)).toBeUndefined();
    expect(rawRecordsOf(record)).toEqual([record]);
  });
});

function common(vintage = "2025-01-20T00:00:00.000Z") {
  return {
    feed: source.feed,
    source: { feed: source.feed, uri: source.uri, position: {} },
    checksum: source.checksum,
    receivedAt: source.receivedAt,
    vintage,
  };
}

describe("observation batches", () => {
  it("survive Arrow IPC unchanged", () => {
    const raw = rawBatch();
    const b = new ObservationBatchBuilder({ ...source, seq: 3, ingestedAt: "2026-01-05T08:00:00.000Z" });
    b.add("urbanization_rate", "330100", "2024", "%", 74.2, "2025-01-20T00:00:00.000Z", raw.position, 0);
    b.add("gdp", "330000", "2024-09", "亿元", -0, "2025-01-20T00:00:00.000Z", raw.position, 2, "地区生产总值");
    const built = b.build();
    const back = decodeObservationBatch(encodeObservationBatch(built));
    expect(back).toEqual(built);
    expect(back.position.column.values).toEqual(["地区生产总值"]);
    expect(back.position.sheet.codes[1]).toBe(0);
    expect(back.position.line[1]).toBe(0);
  });
});

describe("checked-in Arrow schemas", () => {
  const dir = fileURLToPath(new URL("../../schemas/arrow/", import.meta.url));
  it.each(Object.keys(PUBLISHED_ARROW_SCHEMAS) as (keyof typeof PUBLISHED_ARROW_SCHEMAS)[])(
    "%s matches what the codec writes (run `npm run schemas:json` after changing one)",
    (name) => {
      expect(readFileSync(`${dir}${name}`, "utf8")).toBe(arrowSchemaText(name));
    },
  );
  it("has no stale file", () => {
    expect(readdirSync(dir).sort()).toEqual(Object.keys(PUBLISHED_ARROW_SCHEMAS).sort());
  });
});
