import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { chunkByBytes, messageBytes } from "../../bus/kafka-chunks.ts";

describe("chunkByBytes", () => {
  it("keeps every item once, in order, in runs within both bounds unless one item alone is heavier", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(500)),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 1000 }),
        (weights, maxRecords, maxBytes) => {
          const runs = chunkByBytes(weights, (w) => w, maxRecords, maxBytes);
          expect(runs.flat()).toEqual(weights);
          for (const run of runs) {
            expect(run.length).toBeGreaterThan(0);
            expect(run.length).toBeLessThanOrEqual(maxRecords);
            if (run.length > 1) expect(run.reduce((s, w) => s + w, 0)).toBeLessThanOrEqual(maxBytes);
          }
        },
      ),
      { numRuns: 500, seed: 5 },
    );
  });

  it("weighs a message by its key, value and headers in UTF-8", () => {
    const small = messageBytes({ key: Buffer.from("k"), value: Buffer.from("v"), headers: {} });
    expect(messageBytes({ key: Buffer.from("k"), value: Buffer.from("v"), headers: { feed: "杭州" } }) - small).toBe(
      "feed".length + 6,
    );
  });
});
