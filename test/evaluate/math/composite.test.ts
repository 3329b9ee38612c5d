import { describe, expect, it } from "vitest";
import { compositeScore, dimensionScores, MathInputError } from "../../../evaluate/math/index.ts";

describe("compositeScore, arithmetic", () => {
  it("takes the weighted mean of present scores", () => {
    // (0.5 × 1 + 1 × 3) / (1 + 3) = 3.5 / 4 = 0.875
    const r = compositeScore([{ score: 0.5 }, { score: 1, weight: 3 }], { method: "arithmetic" });
    expect(r).toEqual({ score: 0.875, coverage: 1, weightUsed: 1, present: 2, total: 2 });
  });

  it("skips a null score and renormalises the remaining weights", () => {
    // (0.8 × 2 + 0.2 × 1) / (2 + 1) = 1.8 / 3 = 0.6; coverage 2/3; weight used 3/4
    const r = compositeScore([{ score: 0.8, weight: 2 }, { score: null }, { score: 0.2 }], { method: "arithmetic" });
    expect(r.score).toBeCloseTo(0.6, 12);
    expect(r.coverage).toBeCloseTo(2 / 3, 12);
    expect(r.weightUsed).toBe(0.75);
  });

  it("returns a null score with coverage 0 when every score is missing or the list is empty", () => {
    expect(compositeScore([{ score: null }, { score: null }], { method: "arithmetic" })).toEqual({
      score: null,
      coverage: 0,
      weightUsed: 0,
      present: 0,
      total: 2,
    });
    expect(compositeScore([], { method: "geometric" })).toEqual({
      score: null,
      coverage: 0,
      weightUsed: 0,
      present: 0,
      total: 0,
    });
  });

  it("throws MathInputError naming a negative weight or a NaN score", () => {
    expect(() => compositeScore([{ score: 1, weight: -1 }], { method: "arithmetic" })).toThrow(/items\[0\]\.weight/);
    expect(() => compositeScore([{ score: 1 }, { score: Number.NaN }], { method: "arithmetic" })).toThrow(
      /items\[1\]\.score/,
    );
    expect(() => compositeScore([{ score: 1, weight: 0 }], { method: "arithmetic" })).toThrow(MathInputError);
  });
});

describe("compositeScore, geometric", () => {
  it("takes the weighted geometric mean of present scores", () => {
    // 0.25^(1/4) × 0.5^(3/4) = (2^−2 × 2^−3)^(1/4) = 2^(−5/4) = 0.420448…
    const r = compositeScore([{ score: 0.25 }, { score: 0.5, weight: 3 }], { method: "geometric" });
    expect(r.score).toBeCloseTo(2 ** -1.25, 12);
  });

  it("gives 0 for a geometric mean with a zero score", () => {
    // 0^(1/2) × 0.9^(1/2) = 0
    expect(compositeScore([{ score: 0 }, { score: 0.9 }], { method: "geometric" }).score).toBe(0);
  });

  it("ignores a zero score that carries zero weight", () => {
    // 0^0 × 0.64^1 = 0.64
    expect(compositeScore([{ score: 0, weight: 0 }, { score: 0.64 }], { method: "geometric" }).score).toBeCloseTo(
      0.64,
      12,
    );
  });

  it("throws MathInputError for a negative score", () => {
    expect(() => compositeScore([{ score: -0.1 }], { method: "geometric" })).toThrow(/items\[0\]\.score/);
  });
});

describe("dimensionScores", () => {
  const indicators = [
    { dimension: "D2", score: 0.6 },
    { dimension: "D2", score: null },
    { dimension: "D3", score: 1 },
    { dimension: "D3", score: 0.5 },
    { dimension: "D3", score: null },
    { dimension: "D3", score: null },
    { dimension: "D3", score: null },
  ];

  it("lists a dimension without indicators with coverage 0, unscored and flagged", () => {
    const r = dimensionScores(indicators, { method: "arithmetic", dimensions: ["D1", "D2", "D3"] });
    expect(r.dimensions[0]).toEqual({
      dimension: "D1",
      score: null,
      coverage: 0,
      weightCoverage: 0,
      indicators: 0,
      flagged: true,
      scored: false,
      reason: "no_indicators",
      rawScore: null,
      weight: 1,
    });
  });

  it("does not score a dimension whose scored weight is below the threshold, and leaves it out of the composite", () => {
    // D2: 1 of 2 = 0.5, not < 0.5; D3: 2 of 5 = 0.4 < 0.5 → not scored (it would be (1 + 0.5) / 2 = 0.75)
    const r = dimensionScores(indicators, { method: "arithmetic", dimensions: ["D1", "D2", "D3"] });
    expect(r.dimensions[1]).toMatchObject({ dimension: "D2", score: 0.6, coverage: 0.5, flagged: false, scored: true });
    expect(r.dimensions[2]).toMatchObject({
      dimension: "D3",
      score: null,
      rawScore: 0.75,
      coverage: 0.4,
      weightCoverage: 0.4,
      flagged: true,
      scored: false,
      reason: "below_coverage",
    });
    expect(r.composite.score).toBeCloseTo(0.6, 12);
    expect(r.composite.coverage).toBeCloseTo(1 / 3, 12);
    const strict = dimensionScores(indicators, { method: "arithmetic", coverageThreshold: 0.6 });
    expect(strict.dimensions.map((d) => d.flagged)).toEqual([true, true]);
    expect(strict.composite.score).toBeNull();
  });

  it("measures coverage by weight: one heavy indicator with a score covers a dimension", () => {
    const weighted = [
      { dimension: "D7", score: 0, weight: 3 },
      { dimension: "D7", score: null, weight: 1 },
      { dimension: "D7", score: null, weight: 1 },
    ];
    // 3 / 5 = 0.6 of the weight is scored although only 1 of 3 indicators is
    const r = dimensionScores(weighted, { method: "arithmetic" });
    expect(r.dimensions[0]).toMatchObject({ coverage: 1 / 3, weightCoverage: 0.6, scored: true, score: 0 });
  });

  it("scores every dimension with a score when the threshold is 0", () => {
    const r = dimensionScores(indicators, { method: "arithmetic", coverageThreshold: 0 });
    // (0.6 + 0.75) / 2 = 0.675
    expect(r.composite.score).toBeCloseTo(0.675, 12);
  });

  it("uses given dimension weights", () => {
    // (0.6 × 1 + 0.75 × 3) / 4 = 2.85 / 4 = 0.7125
    const r = dimensionScores(indicators, { method: "arithmetic", dimensionWeights: { D3: 3 }, coverageThreshold: 0 });
    expect(r.composite.score).toBeCloseTo(0.7125, 12);
  });

  it("can use a different method across dimensions", () => {
    // within arithmetic (0.6, 0.75); across geometric sqrt(0.6 × 0.75) = sqrt(0.45) = 0.670820…
    const r = dimensionScores(indicators, { method: "arithmetic", acrossMethod: "geometric", coverageThreshold: 0 });
    expect(r.composite.score).toBeCloseTo(Math.sqrt(0.45), 12);
  });
});
