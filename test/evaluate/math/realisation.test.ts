import { describe, expect, it } from "vitest";
import { MathInputError, realisationDegree } from "../../../evaluate/math/index.ts";
import type { Realisation } from "../../../evaluate/math/index.ts";

const score = (r: Realisation): number | null => r.score;

describe("realisationDegree, ratio method for positive indicators", () => {
  it("scores a value below target as value / target", () => {
    // 8 / 10 = 0.8
    expect(score(realisationDegree({ value: 8, target: 10, op: ">=" }))).toBeCloseTo(0.8, 12);
  });

  it("caps a value above target at 1", () => {
    // min(12 / 10, 1) = 1
    expect(score(realisationDegree({ value: 12, target: 10, op: ">=" }))).toBe(1);
  });

  it("scores a zero value against a positive target as 0", () => {
    // 0 / 10 = 0
    expect(score(realisationDegree({ value: 0, target: 10, op: ">=" }))).toBe(0);
  });

  it("clamps a negative value to 0", () => {
    // −2 / 10 = −0.2 → clamp → 0
    expect(score(realisationDegree({ value: -2, target: 10, op: ">=" }))).toBe(0);
  });

  it("scores a target of 0 as met (1) for any value at or above 0 and 0 below", () => {
    expect(score(realisationDegree({ value: 0, target: 0, op: ">=" }))).toBe(1);
    expect(score(realisationDegree({ value: 3, target: 0, op: ">=" }))).toBe(1);
    expect(score(realisationDegree({ value: -1, target: 0, op: ">=" }))).toBe(0);
  });

  it("scores a negative target as met or not met", () => {
    // target −2 (e.g. a growth floor): −1 ≥ −2 met → 1; −3 < −2 → 0
    expect(score(realisationDegree({ value: -1, target: -2, op: ">=" }))).toBe(1);
    expect(score(realisationDegree({ value: -3, target: -2, op: ">=" }))).toBe(0);
  });

  it("treats a strict op exactly like its non-strict form", () => {
    // 10 / 10 = 1 under both > and >=
    expect(score(realisationDegree({ value: 10, target: 10, op: ">" }))).toBe(1);
    expect(score(realisationDegree({ value: 8, target: 10, op: ">" }))).toBeCloseTo(0.8, 12);
  });
});

describe("realisationDegree, ratio method for negative indicators", () => {
  it("scores a value above target as target / value", () => {
    // urban-rural income ratio 2.5 against target 2: 2 / 2.5 = 0.8
    expect(score(realisationDegree({ value: 2.5, target: 2, op: "<=" }))).toBeCloseTo(0.8, 12);
  });

  it("caps a value below target at 1", () => {
    // min(2 / 1.5, 1) = 1
    expect(score(realisationDegree({ value: 1.5, target: 2, op: "<" }))).toBe(1);
  });

  it("scores a negative indicator at zero as 1", () => {
    // x ≤ 0 is at or better than any positive target: 1 (no division by zero)
    expect(score(realisationDegree({ value: 0, target: 2, op: "<=" }))).toBe(1);
    expect(score(realisationDegree({ value: -1, target: 2, op: "<=" }))).toBe(1);
  });

  it("scores a zero target as met only by values at or below zero", () => {
    // target 0 (e.g. zero major accidents): 0 → 1, 3 → 0 / 3 = 0
    expect(score(realisationDegree({ value: 0, target: 0, op: "<=" }))).toBe(1);
    expect(score(realisationDegree({ value: 3, target: 0, op: "<=" }))).toBe(0);
  });
});

describe("realisationDegree, progress method", () => {
  it("scores the share of the baseline-to-target distance covered", () => {
    // (62 − 50) / (70 − 50) = 12 / 20 = 0.6
    const r = realisationDegree({ value: 62, target: 70, baseline: 50, op: ">=", method: "progress" });
    expect(r).toEqual({ score: expect.closeTo(0.6, 12), methodUsed: "progress", fellBackToRatio: false });
  });

  it("clamps regression below the baseline to 0 and overshoot to 1", () => {
    // (45 − 50) / 20 = −0.25 → 0; (80 − 50) / 20 = 1.5 → 1
    expect(score(realisationDegree({ value: 45, target: 70, baseline: 50, op: ">=", method: "progress" }))).toBe(0);
    expect(score(realisationDegree({ value: 80, target: 70, baseline: 50, op: ">=", method: "progress" }))).toBe(1);
  });

  it("works for a negative indicator because its target lies below the baseline", () => {
    // (1.8 − 2.0) / (1.5 − 2.0) = −0.2 / −0.5 = 0.4
    const r = realisationDegree({ value: 1.8, target: 1.5, baseline: 2.0, op: "<=", method: "progress" });
    expect(score(r)).toBeCloseTo(0.4, 12);
  });

  it("scores a baseline equal to the target as 1 when met and 0 when not", () => {
    expect(score(realisationDegree({ value: 70, target: 70, baseline: 70, op: ">=", method: "progress" }))).toBe(1);
    expect(score(realisationDegree({ value: 69, target: 70, baseline: 70, op: ">=", method: "progress" }))).toBe(0);
  });

  it("scores a baseline already beyond the target as met or not met", () => {
    // baseline 80 already ≥ 70: 75 still meets → 1; 65 does not → 0
    expect(score(realisationDegree({ value: 75, target: 70, baseline: 80, op: ">=", method: "progress" }))).toBe(1);
    expect(score(realisationDegree({ value: 65, target: 70, baseline: 80, op: ">=", method: "progress" }))).toBe(0);
  });

  it("falls back to the ratio method without a baseline and says so", () => {
    // 62 / 70 = 0.885714…
    const r = realisationDegree({ value: 62, target: 70, op: ">=", method: "progress" });
    expect(r).toEqual({ score: expect.closeTo(62 / 70, 12), methodUsed: "ratio", fellBackToRatio: true });
  });
});

describe("realisationDegree, trend ops", () => {
  it("scores an improvement 1, a change within 0.5% 0.5 and a worsening 0", () => {
    // tolerance band 100 × 0.005 = 0.5: 101 improved; 100.4 unchanged; 99 worsened
    expect(score(realisationDegree({ value: 101, previous: 100, op: "trend_up" }))).toBe(1);
    expect(score(realisationDegree({ value: 100.4, previous: 100, op: "trend_up" }))).toBe(0.5);
    expect(score(realisationDegree({ value: 99.6, previous: 100, op: "trend_up" }))).toBe(0.5);
    expect(score(realisationDegree({ value: 99, previous: 100, op: "trend_up" }))).toBe(0);
  });

  it("reverses the direction for trend_down", () => {
    expect(score(realisationDegree({ value: 99, previous: 100, op: "trend_down" }))).toBe(1);
    expect(score(realisationDegree({ value: 101, previous: 100, op: "trend_down" }))).toBe(0);
  });

  it("accepts a custom tolerance and custom scores", () => {
    // band 100 × 0.02 = 2: 101.5 is unchanged → custom 0.6; 103 improved → custom 0.9
    const trendScores = { improved: 0.9, unchanged: 0.6, worsened: 0.1 };
    expect(
      score(realisationDegree({ value: 101.5, previous: 100, op: "trend_up", tolerance: 0.02, trendScores })),
    ).toBe(0.6);
    expect(score(realisationDegree({ value: 103, previous: 100, op: "trend_up", tolerance: 0.02, trendScores }))).toBe(
      0.9,
    );
    expect(score(realisationDegree({ value: 97, previous: 100, op: "trend_up", tolerance: 0.02, trendScores }))).toBe(
      0.1,
    );
  });

  it("returns null with reason no_previous when there is no previous value", () => {
    expect(realisationDegree({ value: 5, op: "trend_up" })).toEqual({ score: null, reason: "no_previous" });
  });
});

describe("realisationDegree, missing and invalid inputs", () => {
  it("returns null with a reason for a missing value or target", () => {
    expect(realisationDegree({ value: null, target: 1, op: ">=" })).toEqual({ score: null, reason: "no_value" });
    expect(realisationDegree({ value: 1, op: "<=" })).toEqual({ score: null, reason: "no_target" });
  });

  it("throws MathInputError naming a NaN value", () => {
    expect(() => realisationDegree({ value: Number.NaN, target: 1, op: ">=" })).toThrow(MathInputError);
    expect(() => realisationDegree({ value: Number.NaN, target: 1, op: ">=" })).toThrow(/^value /);
  });

  it("throws MathInputError on trend scores outside [0, 1]", () => {
    const trendScores = { improved: 2, unchanged: 0.5, worsened: 0 };
    expect(() => realisationDegree({ value: 1, previous: 0, op: "trend_up", trendScores })).toThrow(
      /trendScores\.improved/,
    );
  });
});
