import { describe, expect, it } from "vitest";
import { entropyWeights, MathInputError, minMaxNormalize, vectorNormalize } from "../../../evaluate/math/index.ts";

describe("minMaxNormalize", () => {
  it("maps a benefit column to (x − min) / (max − min)", () => {
    // min 2, max 6: (2, 4, 6) → (0, 0.5, 1)
    expect(minMaxNormalize([2, 4, 6], "higher")).toEqual([0, 0.5, 1]);
  });

  it("maps a cost column to (max − x) / (max − min)", () => {
    // (6 − 2, 6 − 5, 6 − 6) / 4 = (1, 0.25, 0)
    expect(minMaxNormalize([2, 5, 6], "lower")).toEqual([1, 0.25, 0]);
  });

  it("maps a constant column to all zeros", () => {
    expect(minMaxNormalize([3, 3, 3], "higher")).toEqual([0, 0, 0]);
    expect(minMaxNormalize([3, 3, 3], "lower")).toEqual([0, 0, 0]);
  });

  it("throws MathInputError naming an infinite entry or an empty column", () => {
    expect(() => minMaxNormalize([1, Number.POSITIVE_INFINITY], "higher")).toThrow(/column\[1\]/);
    expect(() => minMaxNormalize([], "higher")).toThrow(MathInputError);
  });
});

describe("vectorNormalize", () => {
  it("divides by the Euclidean norm", () => {
    // ‖(3, 4)‖ = 5 → (0.6, 0.8)
    expect(vectorNormalize([3, 4])).toEqual([0.6, 0.8]);
  });

  it("maps an all-zero column to zeros", () => {
    expect(vectorNormalize([0, 0])).toEqual([0, 0]);
  });
});

describe("entropyWeights", () => {
  it("computes e_j, d_j and w_j by the textbook formula", () => {
    // col 1 higher (1, 2, 3) → z (0, 0.5, 1); p (0, 1/3, 2/3)
    //   e = −(1/ln 3)(1/3 ln 1/3 + 2/3 ln 2/3) = (0.366204 + 0.270310) / 1.098612 = 0.579380
    // col 2 higher (1, 1, 4) → z (0, 0, 1); p (0, 0, 1); e = −(1/ln 3)(1 × ln 1) = 0
    // d = (0.420620, 1); w = d / 1.420620 = (0.296083, 0.703917)
    const r = entropyWeights(
      [
        [1, 1],
        [2, 1],
        [3, 4],
      ],
      ["higher", "higher"],
    );
    expect(r.entropy[0]).toBeCloseTo(0.57938, 5);
    expect(r.entropy[1]).toBe(0);
    expect(r.weights[0]).toBeCloseTo(0.42062 / 1.42062, 5);
    expect(r.weights[1]).toBeCloseTo(1 / 1.42062, 5);
    expect(r.equalWeightsBecause).toBeNull();
  });

  it("gives a constant column weight 0", () => {
    // col 1 higher (1, 2, 3) → z (0, 0.5, 1); col 3 lower (10, 30, 20) → z (1, 0, 0.5):
    // the same p up to order, so equal entropy; col 2 constant → z (0, 0, 0), e = 1, d = 0
    // w = (d, 0, d) / 2d = (0.5, 0, 0.5)
    const r = entropyWeights(
      [
        [1, 5, 10],
        [2, 5, 30],
        [3, 5, 20],
      ],
      ["higher", "higher", "lower"],
    );
    expect(r.entropy[1]).toBe(1);
    expect(r.divergence[1]).toBe(0);
    expect(r.weights[0]).toBeCloseTo(0.5, 12);
    expect(r.weights[1]).toBe(0);
    expect(r.weights[2]).toBeCloseTo(0.5, 12);
  });

  it("returns equal weights when every column is constant", () => {
    const r = entropyWeights(
      [
        [1, 7],
        [1, 7],
      ],
      ["higher", "lower"],
    );
    expect(r.weights).toEqual([0.5, 0.5]);
    expect(r.equalWeightsBecause).toBe("all_columns_constant");
  });

  it("returns equal weights for a single region", () => {
    const r = entropyWeights([[1, 2, 3, 4]], ["higher", "higher", "lower", "lower"]);
    expect(r.weights).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(r.equalWeightsBecause).toBe("single_row");
  });

  it("gives a two-region column with distinct values entropy 0", () => {
    // m = 2: z (0, 1), p (0, 1): e = 0 for both columns, so w = (0.5, 0.5)
    expect(
      entropyWeights(
        [
          [1, 9],
          [2, 3],
        ],
        ["higher", "lower"],
      ).weights,
    ).toEqual([0.5, 0.5]);
  });

  it("throws MathInputError for a ragged matrix, a NaN cell or mismatched directions", () => {
    expect(() => entropyWeights([[1, 2], [3]], ["higher", "higher"])).toThrow(/matrix\[1\]/);
    expect(() =>
      entropyWeights(
        [
          [1, 2],
          [3, Number.NaN],
        ],
        ["higher", "higher"],
      ),
    ).toThrow(/matrix\[1\]\[1\]/);
    expect(() => entropyWeights([[1, 2]], ["higher"])).toThrow(/directions/);
    expect(() => entropyWeights([], [])).toThrow(MathInputError);
  });
});
