import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createObservationValidator, createRawRecordValidator, Observation, RawRecord } from "../../schemas/index.ts";

const text = fc.oneof(
  fc.constantFrom(
    "",
    "a",
    "x-1",
    "330100",
    "2025",
    "2025Q3",
    "2025-09",
    "2025-13",
    "元",
    "Disposable",
    "2024-01-20T00:00:00.000Z",
    "2024-01-20T00:00:00+08:00",
    "2024-02-30T00:00:00Z",
    "a".repeat(64),
    "0f".repeat(32),
  ),
  fc.string({ maxLength: 12 }),
);
const num = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -1, 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -0),
);
const position = fc.dictionary(
  fc.constantFrom("line", "sheet", "row", "offset", "column", "other"),
  fc.oneof(num, text, fc.constant(undefined)),
  { maxKeys: 4 },
);
const goodObservation = {
  indicator: "disposable_income_per_capita",
  region: "330100",
  period: "2025-09",
  value: 75810.5,
  unit: "元",
  vintage: "2024-01-20T00:00:00.000Z",
  source: { feed: "stats-bureau-income", uri: "income.csv", position: { line: 40 } },
  ingestedAt: "2024-02-01T00:00:00+08:00",
};
const goodRaw = {
  feed: "stats-bureau-income",
  source: { feed: "stats-bureau-income", uri: "a/income.csv", position: { sheet: "表1", row: 3, column: "2024" } },
  checksum: "0f".repeat(32),
  receivedAt: "2024-02-01T00:00:00.000Z",
  vintage: "2024-01-20T00:00:00Z",
  fields: { 地区: "杭州市", 数值: "75,810" },
};

/** A valid record with one field (possibly nested) replaced, added or removed. */
function mutated<T extends Record<string, unknown>>(good: T): fc.Arbitrary<unknown> {
  const keys = Object.keys(good);
  const value = fc.oneof(text, num, position, fc.constant(undefined), fc.constant(null), fc.anything({ maxDepth: 2 }));
  return fc.oneof(
    fc.constant(good),
    fc.record({ key: fc.constantFrom(...keys, "extra"), value }).map(({ key, value }) => ({ ...good, [key]: value })),
    fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(good).filter(([k]) => k !== key))),
    fc
      .record({ key: fc.constantFrom("feed", "uri", "position", "extra"), value })
      .map(({ key, value }) => ({ ...good, source: { ...(good["source"] as object), [key]: value } })),
    position.map((p) => ({ ...good, source: { ...(good["source"] as object), position: p } })),
    fc.anything(),
  );
}

describe("fast validators give zod's verdict", () => {
  it("Observation: the same acceptance and the same data as Observation.safeParse", () => {
    const fast = createObservationValidator();
    fc.assert(
      fc.property(mutated(goodObservation), (v) => {
        const want = Observation.safeParse(v);
        const got = fast(v);
        expect(got.success).toBe(want.success);
        if (want.success) expect(got.data).toEqual(want.data);
        else expect(got.error?.issues).toEqual(want.error.issues);
      }),
      { seed: 20261129, numRuns: 3000 },
    );
  });

  it("RawRecord: the same acceptance and the same data as RawRecord.safeParse", () => {
    const fast = createRawRecordValidator();
    const fields = fc.dictionary(
      fc.string({ maxLength: 4 }),
      fc.oneof(fc.string({ maxLength: 6 }), num, fc.constant(null)),
      { maxKeys: 4 },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          mutated(goodRaw),
          fields.map((f) => ({ ...goodRaw, fields: f })),
        ),
        (v) => {
          const want = RawRecord.safeParse(v);
          const got = fast(v);
          expect(got.success).toBe(want.success);
          if (want.success) expect(got.data).toEqual(want.data);
        },
      ),
      { seed: 20261129, numRuns: 3000 },
    );
  });

  it("remembers a value only once it passed: a bad value seen twice is refused twice", () => {
    const fast = createObservationValidator();
    const bad = { ...goodObservation, vintage: "2024-02-30T00:00:00Z" };
    expect(fast(bad).success).toBe(false);
    expect(fast(bad).success).toBe(false);
    expect(fast(goodObservation).success).toBe(true);
  });
});
