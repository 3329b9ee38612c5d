import { describe, expect, it } from "vitest";
import { MathInputError, onTrack } from "../../../evaluate/math/index.ts";

describe("onTrack", () => {
  it("compares a positive indicator with the straight 2020 to 2025 path", () => {
    // expected 2023 = 50 + (70 − 50) × 3/5 = 62
    expect(onTrack({ value: 62, year: 2023, baseline: 50, target: 70, op: ">=" })).toEqual({
      onTrack: true,
      expected: 62,
      margin: 0,
    });
    expect(onTrack({ value: 61, year: 2023, baseline: 50, target: 70, op: ">=" }).onTrack).toBe(false);
  });

  it("respects the direction of a negative indicator", () => {
    // expected 2022 = 2.0 + (1.5 − 2.0) × 2/5 = 1.8; 1.75 is below the path → on track
    const r = onTrack({ value: 1.75, year: 2022, baseline: 2.0, target: 1.5, op: "<=" });
    expect(r.onTrack).toBe(true);
    expect(r.expected).toBeCloseTo(1.8, 12);
    expect(r.margin).toBeCloseTo(0.05, 12);
    expect(onTrack({ value: 1.85, year: 2022, baseline: 2.0, target: 1.5, op: "<=" }).onTrack).toBe(false);
  });

  it("holds the path at the target after the target year", () => {
    // 2026 is past 2025: expected = target 70
    expect(onTrack({ value: 69, year: 2026, baseline: 50, target: 70, op: ">=" })).toMatchObject({
      onTrack: false,
      expected: 70,
    });
  });

  it("accepts other baseline and target years", () => {
    // 2021 → 2035 path, year 2028: 10 + (24 − 10) × 7/14 = 17
    expect(
      onTrack({ value: 17, year: 2028, baseline: 10, baselineYear: 2021, target: 24, targetYear: 2035, op: ">" })
        .expected,
    ).toBe(17);
  });

  it("throws MathInputError for a trend op or a target year not after the baseline year", () => {
    expect(() => onTrack({ value: 1, year: 2023, baseline: 1, target: 2, op: "trend_up" })).toThrow(MathInputError);
    expect(() => onTrack({ value: 1, year: 2023, baseline: 1, target: 2, op: ">=", targetYear: 2020 })).toThrow(
      /targetYear/,
    );
  });
});
