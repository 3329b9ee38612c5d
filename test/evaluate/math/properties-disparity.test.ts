import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gini, theilDecomposition } from "../../../evaluate/math/index.ts";
import { real, RUNS } from "./arbitraries.ts";

describe("disparity properties", () => {
  it("Theil total equals between plus within, weighted or not", () => {
    const group = (weighted: boolean) =>
      fc.integer({ min: 1, max: 6 }).chain((n) =>
        fc.record({
          values: fc.array(real(0.01, 1e5), { minLength: n, maxLength: n }),
          weights: weighted ? fc.array(real(1, 1e6), { minLength: n, maxLength: n }) : fc.constant(undefined),
        }),
      );
    const groups = fc.boolean().chain((weighted) => fc.array(group(weighted), { minLength: 1, maxLength: 5 }));
    fc.assert(
      fc.property(groups, (gs) => {
        const input = gs.map((g, k) => ({
          group: `g${k}`,
          values: g.values,
          ...(g.weights === undefined ? {} : { weights: g.weights }),
        }));
        const r = theilDecomposition(input);
        expect(Math.abs(r.total - (r.between + r.within))).toBeLessThan(1e-12);
        expect(r.total).toBeGreaterThanOrEqual(-1e-12);
        expect(r.within).toBeGreaterThanOrEqual(-1e-12);
      }),
      RUNS,
    );
  });

  it("Gini lies in [0, 1), weighted or not", () => {
    const data = fc.integer({ min: 1, max: 20 }).chain((n) =>
      fc.record({
        // Zeros or realistic magnitudes: subnormal incomes would underflow to a zero total.
        values: fc
          .array(fc.oneof(fc.constant(0), real(0.001, 1e6)), { minLength: n, maxLength: n })
          .filter((xs) => xs.some((x) => x > 0)),
        weights: fc.option(fc.array(real(0.001, 1e6), { minLength: n, maxLength: n }), { nil: undefined }),
      }),
    );
    fc.assert(
      fc.property(data, ({ values, weights }) => {
        const g = gini(values, weights).value;
        expect(g).toBeGreaterThanOrEqual(0);
        expect(g).toBeLessThan(1);
      }),
      RUNS,
    );
  });

  it("unweighted Gini equals the mean absolute difference over twice the mean", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 15 })
          .filter((xs) => xs.some((x) => x > 0)),
        (xs) => {
          const n = xs.length;
          const mean = xs.reduce((s, x) => s + x, 0) / n;
          const mad = xs.reduce((s, x) => s + xs.reduce((t, y) => t + Math.abs(x - y), 0), 0);
          expect(gini(xs).value).toBeCloseTo(mad / (2 * n * n * mean), 12);
        },
      ),
      RUNS,
    );
  });
});
