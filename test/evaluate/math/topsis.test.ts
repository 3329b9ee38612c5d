import { describe, expect, it } from "vitest";
import { competitionRanks, MathInputError, topsis } from "../../../evaluate/math/index.ts";

describe("topsis with min-max normalisation", () => {
  it("computes distances and closeness by hand", () => {
    // z1 higher (1, 2, 3) → (0, 0.5, 1); z2 lower (10, 30, 20) → (1, 0, 0.5); v = 0.5 z
    // ideal (0.5, 0.5), anti-ideal (0, 0)
    // row 0 v (0, 0.5):     D+ = sqrt(0.25) = 0.5,            D− = 0.5       → C = 0.5
    // row 1 v (0.25, 0):    D+ = sqrt(0.0625 + 0.25) = 0.559017, D− = 0.25    → C = 0.25 / 0.809017 = 0.309017
    // row 2 v (0.5, 0.25):  D+ = 0.25, D− = 0.559017                          → C = 0.690983
    const r = topsis(
      [
        [1, 10],
        [2, 30],
        [3, 20],
      ],
      [0.5, 0.5],
      ["higher", "lower"],
      { normalization: "minmax" },
    );
    expect(r[0]?.closeness).toBeCloseTo(0.5, 12);
    expect(r[1]?.dPlus).toBeCloseTo(Math.sqrt(0.3125), 12);
    expect(r[1]?.dMinus).toBeCloseTo(0.25, 12);
    expect(r[1]?.closeness).toBeCloseTo(0.309017, 6);
    expect(r[2]?.closeness).toBeCloseTo(0.690983, 6);
    expect(r.map((x) => x.rank)).toEqual([2, 3, 1]);
  });

  it("gives every region closeness 0.5 and rank 1 when all regions are equal", () => {
    // D+ = D− = 0 for every row → 0.5 by convention
    const r = topsis(
      [
        [1, 2],
        [1, 2],
        [1, 2],
      ],
      [0.3, 0.7],
      ["higher", "lower"],
      { normalization: "minmax" },
    );
    expect(r).toEqual([0, 1, 2].map(() => ({ dPlus: 0, dMinus: 0, closeness: 0.5, rank: 1 })));
  });

  it("ranks ties by competition ranking", () => {
    // one indicator (3, 3, 1): z (1, 1, 0) → C (1, 1, 0) → ranks 1, 1, 3
    const r = topsis([[3], [3], [1]], [1], ["higher"], { normalization: "minmax" });
    expect(r.map((x) => x.closeness)).toEqual([1, 1, 0]);
    expect(r.map((x) => x.rank)).toEqual([1, 1, 3]);
  });

  it("is unchanged when all weights are scaled by the same factor", () => {
    const m = [
      [1, 10],
      [2, 30],
      [3, 20],
    ];
    const a = topsis(m, [0.5, 0.5], ["higher", "lower"], { normalization: "minmax" });
    const b = topsis(m, [7, 7], ["higher", "lower"], { normalization: "minmax" });
    b.forEach((row, i) => expect(row.closeness).toBeCloseTo(a[i]?.closeness ?? Number.NaN, 12));
  });
});

describe("topsis with vector normalisation", () => {
  it("takes the column minimum as ideal for a cost indicator", () => {
    // col 1 (3, 4)/5 = (0.6, 0.8); col 2 (1, 2)/sqrt 5 = (0.447214, 0.894427), lower is better
    // ideal (0.8, 0.447214), anti (0.6, 0.894427), weights 1
    // row 0: D+ = 0.2, D− = 0.447214 → C = 0.447214 / 0.647214 = 0.690983
    // row 1: D+ = 0.447214, D− = 0.2 → C = 0.309017
    const r = topsis(
      [
        [3, 1],
        [4, 2],
      ],
      [1, 1],
      ["higher", "lower"],
      { normalization: "vector" },
    );
    expect(r[0]?.dPlus).toBeCloseTo(0.2, 12);
    expect(r[0]?.dMinus).toBeCloseTo(1 / Math.sqrt(5), 12);
    expect(r[0]?.closeness).toBeCloseTo(0.690983, 6);
    expect(r[1]?.closeness).toBeCloseTo(0.309017, 6);
    expect(r.map((x) => x.rank)).toEqual([1, 2]);
  });

  it("gives every region closeness 0.5 when all regions are equal", () => {
    const r = topsis(
      [
        [5, 1],
        [5, 1],
      ],
      [1, 1],
      ["higher", "lower"],
      { normalization: "vector" },
    );
    expect(r.map((x) => [x.closeness, x.rank])).toEqual([
      [0.5, 1],
      [0.5, 1],
    ]);
  });
});

describe("topsis input checks", () => {
  it("throws MathInputError for negative, wrong-length or all-zero weights and unknown normalisation", () => {
    const m = [
      [1, 2],
      [3, 4],
    ];
    expect(() => topsis(m, [1, -1], ["higher", "higher"], { normalization: "minmax" })).toThrow(/weights\[1\]/);
    expect(() => topsis(m, [1], ["higher", "higher"], { normalization: "minmax" })).toThrow(MathInputError);
    expect(() => topsis(m, [0, 0], ["higher", "higher"], { normalization: "minmax" })).toThrow(/positive sum/);
    // @ts-expect-error an unknown normalisation is rejected at run time too
    expect(() => topsis(m, [1, 1], ["higher", "higher"], { normalization: "zscore" })).toThrow(/normalization/);
  });
});

describe("competitionRanks", () => {
  it("gives tied scores the best shared rank and skips the following ranks", () => {
    expect(competitionRanks([0.9, 0.5, 0.9, 0.1, 0.5])).toEqual([1, 3, 1, 5, 3]);
  });
});
