import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compositeScore,
  entropyWeights,
  minMaxNormalize,
  rankSensitivity,
  realisationDegree,
  topsis,
} from "../../../evaluate/math/index.ts";
import type { CompositeMethod, Direction, IndicatorOp } from "../../../evaluate/math/index.ts";
import { matrixWith, real, RUNS } from "./arbitraries.ts";

const indicator = fc.record({
  value: real(-50, 200),
  target: real(-10, 150),
  baseline: fc.option(real(-10, 150), { nil: undefined }),
  previous: real(-50, 200),
  op: fc.constantFrom<IndicatorOp>(">=", ">", "<=", "<", "trend_up", "trend_down"),
  method: fc.constantFrom("ratio" as const, "progress" as const),
  weight: real(0, 5),
});
type Indicator = typeof indicator extends fc.Arbitrary<infer T> ? T : never;

function composite(items: readonly Indicator[], method: CompositeMethod): number | null {
  const scored = items.map((it) => {
    const { value, target, op, method: m, previous } = it;
    const r = realisationDegree({
      value,
      target,
      op,
      method: m,
      previous,
      ...(it.baseline === undefined ? {} : { baseline: it.baseline }),
    });
    return { score: r.score, weight: it.weight + 0.01 };
  });
  return compositeScore(scored, { method }).score;
}

describe("scoring properties", () => {
  it("improving one indicator's value never lowers the composite", () => {
    fc.assert(
      fc.property(
        fc.array(indicator, { minLength: 1, maxLength: 8 }),
        fc.nat(),
        real(0, 100),
        fc.constantFrom<CompositeMethod>("arithmetic", "geometric"),
        (items, pick, delta, method) => {
          const k = pick % items.length;
          const it = items[k] as Indicator;
          const up = it.op === ">=" || it.op === ">" || it.op === "trend_up";
          const better = items.map((x, i) => (i === k ? { ...x, value: up ? x.value + delta : x.value - delta } : x));
          const before = composite(items, method) ?? 0;
          const after = composite(better, method) ?? 0;
          expect(after).toBeGreaterThanOrEqual(before - 1e-12);
        },
      ),
      RUNS,
    );
  });

  it("raising one score never lowers an arithmetic or geometric composite", () => {
    const item = fc.record({ score: fc.option(real(0, 1), { nil: null }), weight: real(0.01, 5) });
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 10 }), fc.nat(), real(0, 1), (items, pick, bump) => {
        const k = pick % items.length;
        const raised = items.map((x, i) =>
          i === k && x.score !== null ? { ...x, score: Math.min(1, x.score + bump) } : x,
        );
        for (const method of ["arithmetic", "geometric"] as const) {
          const before = compositeScore(items, { method }).score ?? 0;
          const after = compositeScore(raised, { method }).score ?? 0;
          expect(after).toBeGreaterThanOrEqual(before - 1e-12);
        }
      }),
      RUNS,
    );
  });

  it("entropy weights are non-negative and sum to 1", () => {
    fc.assert(
      fc.property(matrixWith(real(-1e6, 1e6)), ({ matrix, directions }) => {
        const { weights } = entropyWeights(matrix, directions);
        weights.forEach((w) => expect(w).toBeGreaterThanOrEqual(0));
        expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
      }),
      RUNS,
    );
  });

  it("TOPSIS closeness lies in [0, 1] under both normalisations", () => {
    fc.assert(
      fc.property(
        matrixWith(real(-1e4, 1e4)),
        fc.array(real(0.001, 10), { minLength: 7, maxLength: 7 }),
        ({ matrix, directions }, w) => {
          const weights = w.slice(0, directions.length);
          for (const normalization of ["minmax", "vector"] as const) {
            for (const row of topsis(matrix, weights, directions, { normalization })) {
              expect(row.closeness).toBeGreaterThanOrEqual(0);
              expect(row.closeness).toBeLessThanOrEqual(1);
            }
          }
        },
      ),
      RUNS,
    );
  });

  it("min-max normalisation, entropy weights and min-max TOPSIS closeness ignore a positive linear rescaling of a column", () => {
    // Integer cells keep distinct values at least 1 apart, so rescaling cannot merge them.
    const rescale = fc.record({ pick: fc.nat(), a: real(0.1, 100), b: real(-1000, 1000) });
    fc.assert(
      fc.property(
        matrixWith(fc.integer({ min: -1000, max: 1000 }), 2),
        rescale,
        fc.array(real(0.01, 10), { minLength: 7, maxLength: 7 }),
        ({ matrix, directions }, { pick, a, b }, w) => {
          const j = pick % directions.length;
          const scaled = matrix.map((row) => row.map((x, c) => (c === j ? a * x + b : x)));
          const dir = directions[j] as Direction;
          const z0 = minMaxNormalize(
            matrix.map((r) => r[j] as number),
            dir,
          );
          const z1 = minMaxNormalize(
            scaled.map((r) => r[j] as number),
            dir,
          );
          z1.forEach((z, i) => expect(z).toBeCloseTo(z0[i] as number, 9));
          const e0 = entropyWeights(matrix, directions).weights;
          entropyWeights(scaled, directions).weights.forEach((x, k) => expect(x).toBeCloseTo(e0[k] as number, 9));
          const weights = w.slice(0, directions.length);
          const t0 = topsis(matrix, weights, directions, { normalization: "minmax" });
          topsis(scaled, weights, directions, { normalization: "minmax" }).forEach((row, i) =>
            expect(row.closeness).toBeCloseTo(t0[i]?.closeness as number, 9),
          );
        },
      ),
      RUNS,
    );
  });

  it("rank sensitivity is deterministic for a seed", () => {
    fc.assert(
      fc.property(matrixWith(real(0, 100), 2), fc.integer(), ({ matrix, directions }, seed) => {
        const input = { matrix, directions, baseWeights: directions.map(() => 1), draws: 40, seed };
        expect(rankSensitivity(input)).toEqual(rankSensitivity(input));
      }),
      { ...RUNS, numRuns: 50 },
    );
  });
});
