// Shared fast-check arbitraries for the evaluate/math property tests.
import fc from "fast-check";
import type { Direction } from "../../../evaluate/math/index.ts";

// Fixed seed and bounded runs keep the suite reproducible and fast.
export const RUNS = { seed: 20251231, numRuns: 200 } as const;

export const real = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const direction: fc.Arbitrary<Direction> = fc.constantFrom("higher", "lower");

/** A rows × cols matrix with one direction per column. */
export function matrixWith(
  cell: fc.Arbitrary<number>,
  minRows = 1,
): fc.Arbitrary<{ matrix: number[][]; directions: Direction[] }> {
  return fc.integer({ min: 1, max: 7 }).chain((n) =>
    fc.record({
      matrix: fc.array(fc.array(cell, { minLength: n, maxLength: n }), { minLength: minRows, maxLength: 10 }),
      directions: fc.array(direction, { minLength: n, maxLength: n }),
    }),
  );
}
