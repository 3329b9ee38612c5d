import { describe, expect, it } from "vitest";
import { MathInputError, pickWithStaleness } from "../../../evaluate/math/index.ts";

const END_2025 = "2025-12-31";

describe("pickWithStaleness", () => {
  it("takes the value of the target period itself without carrying forward", () => {
    const r = pickWithStaleness(
      [
        { period: "2024", value: 1 },
        { period: "2025", value: 2 },
      ],
      END_2025,
    );
    expect(r).toEqual({ value: 2, period: "2025", carriedForward: false, ageMonths: 0 });
  });

  it("carries the latest earlier annual value forward up to 24 months", () => {
    // 2024 ends 2024-12, target ends 2025-12: 12 months old
    expect(
      pickWithStaleness(
        [
          { period: "2023", value: 1 },
          { period: "2024", value: 2 },
        ],
        END_2025,
      ),
    ).toEqual({
      value: 2,
      period: "2024",
      carriedForward: true,
      ageMonths: 12,
    });
    // 2023 is exactly 24 months old: still allowed; 2022 is 36: too stale
    expect(pickWithStaleness([{ period: "2023", value: 1 }], END_2025)).toMatchObject({ ageMonths: 24 });
    expect(pickWithStaleness([{ period: "2022", value: 1 }], END_2025)).toEqual({ value: null, reason: "too_stale" });
  });

  it("allows 6 months for quarterly and 2 months for monthly observations", () => {
    // 2025Q2 ends 2025-06 → 6 months; 2025Q1 ends 2025-03 → 9 months
    expect(pickWithStaleness([{ period: "2025Q2", value: 5 }], END_2025)).toMatchObject({ value: 5, ageMonths: 6 });
    expect(pickWithStaleness([{ period: "2025Q1", value: 5 }], END_2025)).toMatchObject({ value: null });
    // 2025-10 → 2 months; 2025-09 → 3 months
    expect(pickWithStaleness([{ period: "2025-10", value: 7 }], END_2025)).toMatchObject({ value: 7, ageMonths: 2 });
    expect(pickWithStaleness([{ period: "2025-09", value: 7 }], END_2025)).toEqual({
      value: null,
      reason: "too_stale",
    });
  });

  it("uses an explicit maximum age instead of the frequency default", () => {
    expect(pickWithStaleness([{ period: "2024", value: 1 }], END_2025, 6)).toEqual({
      value: null,
      reason: "too_stale",
    });
    expect(pickWithStaleness([{ period: "2025-09", value: 7 }], END_2025, 3)).toMatchObject({ value: 7, ageMonths: 3 });
  });

  it("ignores observations for periods ending after the target", () => {
    expect(
      pickWithStaleness(
        [
          { period: "2026", value: 9 },
          { period: "2025Q3", value: 3 },
        ],
        END_2025,
      ),
    ).toMatchObject({ period: "2025Q3" });
    expect(pickWithStaleness([{ period: "2026Q1", value: 9 }], END_2025)).toEqual({
      value: null,
      reason: "none_before_target",
    });
    expect(pickWithStaleness([], END_2025)).toEqual({ value: null, reason: "no_observations" });
  });

  it("prefers the coarser period when two end on the same day", () => {
    const obs = [
      { period: "2025-12", value: 1 },
      { period: "2025Q4", value: 2 },
      { period: "2025", value: 3 },
    ];
    expect(pickWithStaleness(obs, END_2025)).toMatchObject({ period: "2025", value: 3 });
  });

  it("falls back to an older annual value when a newer monthly value is too stale", () => {
    // 2025-08 is 4 months old (> 2); 2024 is 12 months old (≤ 24)
    const obs = [
      { period: "2025-08", value: 1 },
      { period: "2024", value: 2 },
    ];
    expect(pickWithStaleness(obs, END_2025)).toMatchObject({ period: "2024", ageMonths: 12 });
  });

  it("counts whole calendar months to a mid-month target end", () => {
    // 2025-06 ends 06-30, after 06-15: excluded; 2025-05 ends in the previous month: 1 month
    const obs = [
      { period: "2025-06", value: 6 },
      { period: "2025-05", value: 5 },
    ];
    expect(pickWithStaleness(obs, "2025-06-15")).toEqual({
      value: 5,
      period: "2025-05",
      carriedForward: true,
      ageMonths: 1,
    });
  });

  it("throws MathInputError for malformed periods, dates, duplicates and non-finite values", () => {
    expect(() => pickWithStaleness([{ period: "2025Q5", value: 1 }], END_2025)).toThrow(/observations\[0\]\.period/);
    expect(() => pickWithStaleness([{ period: "2025", value: 1 }], "2025-02-30")).toThrow(/targetPeriodEnd/);
    expect(() =>
      pickWithStaleness(
        [
          { period: "2025", value: 1 },
          { period: "2025", value: 2 },
        ],
        END_2025,
      ),
    ).toThrow(/unique/);
    expect(() => pickWithStaleness([{ period: "2025", value: Number.NaN }], END_2025)).toThrow(MathInputError);
    expect(() => pickWithStaleness([{ period: "2025", value: 1 }], END_2025, -1)).toThrow(/maxAgeMonths/);
  });
});
