import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SourcePosition } from "../../schemas/index.ts";
import { LoadedLines } from "../../load/loaded-lines.ts";
import { factsAfterMerges, observation } from "./fixtures.ts";

/** One delivery: a few rows of one source, at lines from `from`, some values changed (a corrected file). */
const delivery = fc.record({
  uri: fc.constantFrom("a.csv", "b.csv"),
  from: fc.integer({ min: 2, max: 30 }),
  count: fc.integer({ min: 1, max: 6 }),
  vintage: fc.constantFrom("2024-01-20T00:00:00.000Z", "2024-03-01T00:00:00.000Z"),
  shift: fc.constantFrom(0, 0, 1),
  unlined: fc.boolean(),
});

type Delivery = { uri: string; from: number; count: number; vintage: string; shift: number; unlined: boolean };

/** How a merge knows the lines each file has loaded: looks keys up regardless, reads them each merge, or shares them. */
type Knowing = "always look up" | "read each merge" | "shared";

function load(deliveries: Delivery[][], knowing: Knowing) {
  const merges = deliveries.map((merge) =>
    merge.flatMap((d) =>
      Array.from({ length: d.count }, (_, i) => {
        const line = d.from + i;
        const position: SourcePosition = d.unlined ? { sheet: "表1", row: line } : { line };
        return observation({
          period: String(2000 + (line % 7)),
          value: line * 10 + d.shift,
          vintage: d.vintage,
          source: { feed: "stats", uri: d.uri, position },
        });
      }),
    ),
  );
  return factsAfterMerges(merges, {
    alwaysLookUpPresent: knowing === "always look up",
    ...(knowing === "shared" ? { loadedLines: new LoadedLines() } : {}),
  });
}

describe("looking up present keys only where a merge's lines overlap what its source has loaded", () => {
  it("loads exactly what looking them up on every merge loads: re-deliveries, corrected files, rows without lines", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(delivery, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
        async (merges) => {
          const everyTime = await load(merges, "always look up");
          expect(await load(merges, "read each merge")).toEqual(everyTime);
          // As the loader does: one LoadedLines for all its merges, widened by each.
          expect(await load(merges, "shared")).toEqual(everyTime);
        },
      ),
      // 40 runs of three loads each: as many loads as 60 runs of the two before the shared LoadedLines.
      { numRuns: 40 },
    );
  }, 180_000);

  it("keeps a source's loaded line range, so a later merge of the same lines is checked", async () => {
    const merges = [
      [{ uri: "a.csv", from: 2, count: 5, vintage: "2024-01-20T00:00:00.000Z", shift: 0, unlined: false }],
    ];
    const again = [...merges, [{ ...merges[0]![0]!, shift: 1 }]];
    // The same lines again with other values and the same vintage are the same observations: not loaded twice.
    expect(await load(again, "read each merge")).toHaveLength(5);
    expect(await load(again, "shared")).toHaveLength(5);
  });
});
