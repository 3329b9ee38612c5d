import { describe, expect, it } from "vitest";
import { MathInputError, mulberry32, quantileSorted, rankSensitivity } from "../../../evaluate/math/index.ts";
import type { Direction } from "../../../evaluate/math/index.ts";

// 11 regions × 40 indicators filled from a fixed generator, the size of Zhejiang's prefectures.
function bigInput(): { matrix: number[][]; directions: Direction[]; baseWeights: number[] } {
  const r = mulberry32(7);
  const matrix = Array.from({ length: 11 }, () => Array.from({ length: 40 }, () => 100 * r()));
  const directions = Array.from({ length: 40 }, (_, j): Direction => (j % 4 === 0 ? "lower" : "higher"));
  return { matrix, directions, baseWeights: Array.from({ length: 40 }, () => 1 / 40) };
}

describe("mulberry32", () => {
  it("repeats its sequence for the same seed and stays in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });

  it("throws MathInputError for a non-integer seed", () => {
    expect(() => mulberry32(1.5)).toThrow(/seed/);
  });
});

describe("quantileSorted", () => {
  it("interpolates linearly between order statistics", () => {
    // n = 4: h = 3 × 0.5 = 1.5 → 2 + 0.5 × (3 − 2) = 2.5; h = 3 × 0.05 = 0.15 → 1.15
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.05)).toBeCloseTo(1.15, 12);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
  });
});

describe("rankSensitivity", () => {
  const matrix = [
    [1, 10],
    [2, 30],
    [3, 20],
  ];
  const directions: Direction[] = ["higher", "lower"];

  it("keeps every rank at its base rank when the perturbation is 0", () => {
    // base TOPSIS ranks with equal weights are (2, 3, 1), see the topsis hand example
    const r = rankSensitivity({ matrix, baseWeights: [0.5, 0.5], directions, draws: 50, seed: 1, perturbation: 0 });
    expect(r).toEqual([
      { baseRank: 2, medianRank: 2, p05: 2, p95: 2 },
      { baseRank: 3, medianRank: 3, p05: 3, p95: 3 },
      { baseRank: 1, medianRank: 1, p05: 1, p95: 1 },
    ]);
  });

  it("always ranks a region that dominates on every indicator first", () => {
    const r = rankSensitivity({
      matrix: [
        [9, 1],
        [5, 5],
        [1, 9],
      ],
      baseWeights: [1, 1],
      directions,
      draws: 200,
      seed: 3,
    });
    expect(r[0]).toEqual({ baseRank: 1, medianRank: 1, p05: 1, p95: 1 });
  });

  it("is deterministic for a seed", () => {
    const input = { ...bigInput(), draws: 300, seed: 2025 };
    expect(rankSensitivity(input)).toEqual(rankSensitivity(input));
  });

  it("accepts the weighted-sum scorer and a custom scorer", () => {
    // weighted sum on z: row 0 (0, 1) → 0.5, row 1 (0.5, 0) → 0.25, row 2 (1, 0.5) → 0.75 → ranks (2, 3, 1)
    const ws = rankSensitivity({
      matrix,
      baseWeights: [1, 1],
      directions,
      draws: 20,
      seed: 5,
      perturbation: 0,
      scorer: "weighted-sum",
    });
    expect(ws.map((x) => x.baseRank)).toEqual([2, 3, 1]);
    // a scorer that ignores the weights and prefers the last row
    const custom = rankSensitivity({
      matrix,
      baseWeights: [1, 1],
      directions,
      draws: 20,
      seed: 5,
      scorer: (_w, out) => out.set([1, 2, 3]),
    });
    expect(custom.map((x) => x.medianRank)).toEqual([3, 2, 1]);
  });

  // Its speed is measured by `npm run bench`, never asserted in a unit test.
  it("keeps every region's median rank inside its 5-95% interval over 1000 draws of 11 regions × 40 indicators", () => {
    const r = rankSensitivity({ ...bigInput(), draws: 1000, seed: 11 });
    expect(r).toHaveLength(11);
    r.forEach((row) => {
      expect(row.p05).toBeLessThanOrEqual(row.medianRank);
      expect(row.medianRank).toBeLessThanOrEqual(row.p95);
    });
  });

  it("throws MathInputError for a bad draw count, perturbation or scorer", () => {
    const base = { matrix, baseWeights: [1, 1], directions, seed: 1 };
    expect(() => rankSensitivity({ ...base, draws: 0 })).toThrow(/draws/);
    expect(() => rankSensitivity({ ...base, draws: 10, perturbation: 1.5 })).toThrow(/perturbation/);
    // @ts-expect-error an unknown scorer name is rejected at run time too
    expect(() => rankSensitivity({ ...base, draws: 10, scorer: "vikor" })).toThrow(MathInputError);
  });
});
