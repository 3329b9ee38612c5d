import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  comparePeriods,
  formatPeriod,
  nextPeriod,
  parsePeriod,
  Period,
  periodEnd,
  periodFrequency,
  periodParts,
  periodsBetween,
  periodStart,
  periodYear,
  previousPeriod,
} from "../../schemas/periods.ts";
import type { PeriodParts } from "../../schemas/periods.ts";

const annual = fc
  .integer({ min: 1000, max: 9999 })
  .map((year): PeriodParts => ({ year, frequency: "annual", index: 1 }));
const quarterly = fc
  .record({ year: fc.integer({ min: 1000, max: 9999 }), index: fc.integer({ min: 1, max: 4 }) })
  .map(({ year, index }): PeriodParts => ({ year, frequency: "quarterly", index }));
const monthly = fc
  .record({ year: fc.integer({ min: 1000, max: 9999 }), index: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, index }): PeriodParts => ({ year, frequency: "monthly", index }));
const anyParts = fc.oneof(annual, quarterly, monthly);
const toFullWidth = (s: string): string => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
const CN = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"];

/** Spellings a source might use for the same period. */
function spellings(p: PeriodParts): string[] {
  const y = String(p.year);
  if (p.frequency === "annual") return [y, `${y}年`, `${y}年度`, ` ${y} `];
  if (p.frequency === "quarterly")
    return [
      `${y}Q${p.index}`,
      `${y}-Q${p.index}`,
      `${y}q${p.index}`,
      `${y}年第${p.index}季度`,
      `${y}年${CN[p.index]}季度`,
      `${y}年第${CN[p.index]}季度`,
    ];
  const mm = String(p.index).padStart(2, "0");
  return [
    `${y}-${mm}`,
    `${y}-${p.index}`,
    `${y}.${mm}`,
    `${y}.${p.index}`,
    `${y}/${p.index}`,
    `${y}/${mm}`,
    `${y}${mm}`,
    `${y}年${p.index}月`,
    `${y}年${CN[p.index]}月`,
  ];
}

describe("Period schema", () => {
  it.each(["2025", "2025Q3", "2025-09", "2025-12"])("accepts the canonical period %s", (p) => {
    expect(Period.safeParse(p).success).toBe(true);
  });

  it.each(["2025Q0", "2025-9", "2025-13", "2025q3", "25", "0999", "2025年"])(
    "rejects the non-canonical period %s",
    (p) => {
      expect(Period.safeParse(p).success).toBe(false);
    },
  );
});

describe("parsePeriod", () => {
  it.each([
    ["2025", "2025"],
    ["2025年", "2025"],
    ["2025年度", "2025"],
    ["2025Q3", "2025Q3"],
    ["2025-Q3", "2025Q3"],
    ["2025年三季度", "2025Q3"],
    ["2025年第3季度", "2025Q3"],
    ["2025年第三季度", "2025Q3"],
    ["2025年9月", "2025-09"],
    ["2025.09", "2025-09"],
    ["2025.9", "2025-09"],
    ["2025/9", "2025-09"],
    ["2025/09", "2025-09"],
    ["2025-9", "2025-09"],
    ["202509", "2025-09"],
    ["２０２５年９月", "2025-09"],
    ["２０２５Ｑ３", "2025Q3"],
    ["\u30002025\u3000", "2025"],
  ])("reads %j as %s", (input, period) => {
    expect(parsePeriod(input)).toMatchObject({ ok: true, period });
  });

  it.each([
    ["2025年13月", /month 13 is out of range 1-12/],
    ["2025Q5", /quarter 5 is out of range 1-4/],
    ["2025年第五季度", /quarter 五 is out of range/],
    ["202500", /month 00 is out of range/],
    ["garbage", /unrecognised period/],
    ["", /empty/],
    ["2025-09-01", /unrecognised period/],
  ])("rejects %j with a reason", (input, reason) => {
    const result = parsePeriod(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toMatch(reason);
  });

  it("reports the frequency of what it parsed", () => {
    expect(parsePeriod("2025年9月")).toEqual({ ok: true, period: "2025-09", frequency: "monthly" });
  });

  it("round-trips every spelling of a random valid period to the canonical form", () => {
    fc.assert(
      fc.property(anyParts, fc.boolean(), (parts, wide) => {
        const canonical = formatPeriod(parts);
        expect(parsePeriod(canonical)).toEqual({ ok: true, period: canonical, frequency: parts.frequency });
        for (const s of spellings(parts))
          expect(parsePeriod(wide ? toFullWidth(s) : s), s).toMatchObject({ ok: true, period: canonical });
        expect(periodParts(canonical)).toEqual(parts);
      }),
    );
  });
});

describe("period calendar", () => {
  it("gives the inclusive first and last day of years, quarters and months, leap years included", () => {
    expect([periodStart("2025"), periodEnd("2025")]).toEqual(["2025-01-01", "2025-12-31"]);
    expect([periodStart("2025Q3"), periodEnd("2025Q3")]).toEqual(["2025-07-01", "2025-09-30"]);
    expect([periodStart("2024-02"), periodEnd("2024-02")]).toEqual(["2024-02-01", "2024-02-29"]);
    expect(periodEnd("2100-02")).toBe("2100-02-28");
    expect(periodEnd("2025Q4")).toBe("2025-12-31");
  });

  it("reads the frequency and year of a period", () => {
    expect([periodFrequency("2025"), periodFrequency("2025Q1"), periodFrequency("2025-01")]).toEqual([
      "annual",
      "quarterly",
      "monthly",
    ]);
    expect(periodYear("2023-07")).toBe(2023);
  });

  it("orders by start date and puts the longer period first on a tie", () => {
    expect(["2025-02", "2025Q1", "2025-01", "2025", "2024-12", "2024Q4"].sort(comparePeriods)).toEqual([
      "2024Q4",
      "2024-12",
      "2025",
      "2025Q1",
      "2025-01",
      "2025-02",
    ]);
    expect(comparePeriods("2025Q3", "2025Q3")).toBe(0);
  });

  it("steps back across year boundaries at the same frequency", () => {
    expect([previousPeriod("2025"), previousPeriod("2025Q1"), previousPeriod("2025-01")]).toEqual([
      "2024",
      "2024Q4",
      "2024-12",
    ]);
    expect(nextPeriod("2024Q4")).toBe("2025Q1");
  });

  it("keeps previous and next period inverse and adjacent for random periods", () => {
    fc.assert(
      fc.property(
        anyParts.filter((p) => p.year > 1000 && p.year < 9999),
        (parts) => {
          const p = formatPeriod(parts);
          expect(nextPeriod(previousPeriod(p))).toBe(p);
          expect(comparePeriods(previousPeriod(p), p)).toBe(-1);
          const gap = Date.parse(periodStart(p)) - Date.parse(periodEnd(previousPeriod(p)));
          expect(gap).toBe(86_400_000);
        },
      ),
    );
  });

  it("lists the periods between two bounds inclusively", () => {
    expect(periodsBetween("2024Q3", "2025Q2")).toEqual(["2024Q3", "2024Q4", "2025Q1", "2025Q2"]);
    expect(periodsBetween("2021", "2025")).toHaveLength(5);
    expect(periodsBetween("2025-03", "2025-01")).toEqual([]);
  });

  it("refuses to list periods between different frequencies or to work on non-canonical strings", () => {
    expect(() => periodsBetween("2024", "2025Q1")).toThrow(/annual.*quarterly/);
    expect(() => periodStart("2025年")).toThrow(RangeError);
  });
});
