import { describe, expect, it } from "vitest";
import { coefficientOfVariation, gini, MathInputError, maxMinRatio } from "../../../evaluate/math/index.ts";

describe("maxMinRatio", () => {
  it("divides the largest value by the smallest", () => {
    // 5 / 2 = 2.5
    expect(maxMinRatio([2, 5, 4])).toBe(2.5);
  });

  it("throws MathInputError naming a zero value in the ratio", () => {
    expect(() => maxMinRatio([2, 0, 4])).toThrow(MathInputError);
    expect(() => maxMinRatio([2, 0, 4])).toThrow(/^values\[1\] must be > 0/);
  });

  it("throws MathInputError for an empty list", () => {
    expect(() => maxMinRatio([])).toThrow(/values must not be empty/);
  });
});

describe("coefficientOfVariation", () => {
  it("uses the population standard deviation when unweighted", () => {
    // μ = 4; σ² = (4 + 0 + 4) / 3 = 8/3; σ = 1.632993; CV = σ / μ = 0.408248
    expect(coefficientOfVariation([2, 4, 6])).toEqual({
      value: expect.closeTo(Math.sqrt(8 / 3) / 4, 12),
      weighted: false,
    });
  });

  it("weights by population when weights are given", () => {
    // μ = (2 × 1 + 4 × 3) / 4 = 3.5; σ² = (1 × 2.25 + 3 × 0.25) / 4 = 0.75; CV = 0.866025 / 3.5 = 0.247436
    expect(coefficientOfVariation([2, 4], [1, 3])).toEqual({
      value: expect.closeTo(Math.sqrt(0.75) / 3.5, 12),
      weighted: true,
    });
  });

  it("gives the unweighted value under equal weights", () => {
    expect(coefficientOfVariation([2, 4, 6], [5, 5, 5]).value).toBeCloseTo(coefficientOfVariation([2, 4, 6]).value, 12);
  });

  it("throws MathInputError for a non-positive mean or a zero weight", () => {
    expect(() => coefficientOfVariation([-1, 1])).toThrow(/positive mean/);
    expect(() => coefficientOfVariation([1, 2], [1, 0])).toThrow(/weights\[1\]/);
  });
});

describe("gini", () => {
  it("matches the mean absolute difference over twice the mean when unweighted", () => {
    // Lorenz: S = (1/6, 3/6, 1); G = 1 − (1/3)(1/6 + 4/6 + 9/6) = 1 − 14/18 = 2/9
    // MAD form: Σ|x_i − x_j| over ordered pairs = 8; 8 / (2 × 3² × 2) = 2/9
    expect(gini([1, 2, 3])).toEqual({ value: expect.closeTo(2 / 9, 12), weighted: false });
    expect(gini([3, 1, 2]).value).toBeCloseTo(2 / 9, 12);
  });

  it("weights by population share along the Lorenz curve", () => {
    // values (1, 3), weights (3, 1): incomes (3, 3), p (0.75, 0.25), S (0.5, 1)
    // G = 1 − [0.75 (0 + 0.5) + 0.25 (0.5 + 1)] = 1 − 0.75 = 0.25
    expect(gini([1, 3], [3, 1])).toEqual({ value: expect.closeTo(0.25, 12), weighted: true });
    // same as the unweighted Gini of the replicated list (1, 1, 1, 3)
    expect(gini([1, 1, 1, 3]).value).toBeCloseTo(0.25, 12);
  });

  it("is 0 for equal values and approaches 1 − 1/n when one unit holds everything", () => {
    expect(gini([5, 5, 5]).value).toBe(0);
    // (0, 0, 0, 8): S = (0, 0, 0, 1); G = 1 − 0.25 × 1 = 0.75 = 1 − 1/4
    expect(gini([0, 0, 0, 8]).value).toBeCloseTo(0.75, 12);
  });

  it("throws MathInputError for a negative value or an all-zero list", () => {
    expect(() => gini([1, -2])).toThrow(/values\[1\]/);
    expect(() => gini([0, 0])).toThrow(/positive total/);
  });
});
