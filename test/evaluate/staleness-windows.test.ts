import { describe, expect, it } from "vitest";
import { MathInputError, pickWithStaleness } from "../../evaluate/index.ts";

const END_2025_09 = "2025-09-30";

describe("pickWithStaleness with a window per frequency", () => {
  it("applies each observation's own window and keeps defaults for frequencies not named", () => {
    // 2024 (annual) is 9 months old; 2025-06 (monthly) is 3 months old.
    const obs = [
      { period: "2024", value: 1 },
      { period: "2025-06", value: 2 },
    ];
    // Defaults (annual 24, monthly 2): the monthly value is too stale, the annual one is used.
    expect(pickWithStaleness(obs, END_2025_09)).toEqual({
      value: 1,
      period: "2024",
      carriedForward: true,
      ageMonths: 9,
    });
    // A 3-month monthly window lets the newer monthly value win.
    expect(pickWithStaleness(obs, END_2025_09, { monthly: 3 })).toEqual({
      value: 2,
      period: "2025-06",
      carriedForward: true,
      ageMonths: 3,
    });
    // A 6-month annual window with the default monthly window leaves nothing.
    expect(pickWithStaleness(obs, END_2025_09, { annual: 6 })).toEqual({ value: null, reason: "too_stale" });
  });

  it("treats one number as the window of every frequency, as before", () => {
    const obs = [{ period: "2025Q1", value: 4 }];
    expect(pickWithStaleness(obs, END_2025_09, 6)).toMatchObject({ value: 4, ageMonths: 6 });
    expect(pickWithStaleness(obs, END_2025_09, 5)).toEqual({ value: null, reason: "too_stale" });
  });

  it("rejects a negative window and names the frequency", () => {
    expect(() => pickWithStaleness([{ period: "2025", value: 1 }], END_2025_09, { quarterly: -1 })).toThrow(
      MathInputError,
    );
    expect(() => pickWithStaleness([{ period: "2025", value: 1 }], END_2025_09, { quarterly: -1 })).toThrow(
      /maxAgeMonths\.quarterly/,
    );
  });
});
