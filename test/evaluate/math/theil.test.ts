import { describe, expect, it } from "vitest";
import { MathInputError, theilDecomposition, theilT } from "../../../evaluate/math/index.ts";

describe("theilT", () => {
  it("computes the unweighted index (1/n) Σ (x/μ) ln(x/μ)", () => {
    // μ = 2: ½ [0.5 ln 0.5 + 1.5 ln 1.5] = ½ [−0.346574 + 0.608198] = 0.130812
    expect(theilT([1, 3])).toEqual({
      value: expect.closeTo(0.5 * (0.5 * Math.log(0.5) + 1.5 * Math.log(1.5)), 12),
      weighted: false,
    });
    expect(theilT([1, 3]).value).toBeCloseTo(0.130812, 6);
  });

  it("uses income and population shares when weighted", () => {
    // values (1, 3), populations (3, 1): incomes (3, 3), income shares (0.5, 0.5), population shares (0.75, 0.25)
    // T = 0.5 ln(0.5/0.75) + 0.5 ln(0.5/0.25) = −0.202733 + 0.346574 = 0.143841
    const r = theilT([1, 3], [3, 1]);
    expect(r.weighted).toBe(true);
    expect(r.value).toBeCloseTo(0.5 * Math.log(2 / 3) + 0.5 * Math.log(2), 12);
  });

  it("is 0 for equal values and treats a zero value as 0 · ln 0 = 0", () => {
    expect(theilT([4, 4, 4]).value).toBe(0);
    // (0, 2): shares (0, 1), pop (0.5, 0.5): T = 0 + 1 × ln 2
    expect(theilT([0, 2]).value).toBeCloseTo(Math.log(2), 12);
  });

  it("throws MathInputError for a negative value", () => {
    expect(() => theilT([1, -1])).toThrow(/values\[1\]/);
    expect(() => theilT([0, 0])).toThrow(MathInputError);
  });
});

describe("theilDecomposition", () => {
  const groups = [
    { group: "urban", values: [4, 6] },
    { group: "rural", values: [1, 3] },
  ];

  it("splits the total into between and within parts by hand", () => {
    // Y = 14, N = 4. between: (10/14) ln((10/14)/0.5) + (4/14) ln((4/14)/0.5)
    //   = 0.7142857 × 0.3566749 + 0.2857143 × (−0.5596158) = 0.2547678 − 0.1598902 = 0.0948776
    // within: T_urban = 0.4 ln 0.8 + 0.6 ln 1.2 = −0.0892574 + 0.1093929 = 0.0201355; T_rural = 0.1308120
    //   = (10/14) 0.0201355 + (4/14) 0.1308120 = 0.0143825 + 0.0373749 = 0.0517574
    // total = 0.0948776 + 0.0517574 = 0.1466350
    const r = theilDecomposition(groups);
    expect(r.between).toBeCloseTo(0.0948776, 6);
    expect(r.within).toBeCloseTo(0.0517574, 6);
    expect(r.total).toBeCloseTo(0.146635, 6);
    expect(r.total).toBeCloseTo(theilT([4, 6, 1, 3]).value, 14);
    expect(r.weighted).toBe(false);
    expect(r.groups[0]).toMatchObject({ group: "urban", incomeShare: 10 / 14, populationShare: 0.5 });
    expect(r.groups[1]?.theil).toBeCloseTo(0.130812, 6);
  });

  it("keeps total equal to between plus within to 1e-12", () => {
    const r = theilDecomposition(groups);
    expect(Math.abs(r.total - (r.between + r.within))).toBeLessThan(1e-12);
    const w = theilDecomposition([
      { group: "a", values: [5.2, 7.9, 3.1], weights: [120, 45, 300] },
      { group: "b", values: [2.4, 2.9], weights: [80, 410] },
      { group: "c", values: [11.5], weights: [60] },
    ]);
    expect(w.weighted).toBe(true);
    expect(Math.abs(w.total - (w.between + w.within))).toBeLessThan(1e-12);
    expect(w.groups[2]?.theil).toBe(0);
  });

  it("matches the weighted theilT over all units when weighted", () => {
    const w = theilDecomposition([
      { group: "a", values: [1], weights: [3] },
      { group: "b", values: [3], weights: [1] },
    ]);
    // single-unit groups: within = 0, so between = total = 0.143841
    expect(w.within).toBe(0);
    expect(w.total).toBeCloseTo(theilT([1, 3], [3, 1]).value, 14);
  });

  it("throws MathInputError for mixed weighting, duplicate groups or an empty group", () => {
    expect(() =>
      theilDecomposition([
        { group: "a", values: [1], weights: [1] },
        { group: "b", values: [2] },
      ]),
    ).toThrow(/groups\[1\]\.weights/);
    expect(() =>
      theilDecomposition([
        { group: "a", values: [1] },
        { group: "a", values: [2] },
      ]),
    ).toThrow(/unique/);
    expect(() => theilDecomposition([{ group: "a", values: [] }])).toThrow(/groups\[0\]\.values/);
    expect(() => theilDecomposition([])).toThrow(MathInputError);
  });
});
