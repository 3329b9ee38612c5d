// The worked example of docs/METHOD.md section 10, recomputed and compared with the page itself.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compositeScore, entropyWeights, realisationDegree, topsis } from "../../../evaluate/math/index.ts";
import type { Direction } from "../../../evaluate/math/index.ts";

const MATRIX = [
  [6, 2.0, 40], // A
  [4, 1.5, 60], // B
  [5, 1.8, 45], // C
];
const DIRECTIONS: Direction[] = ["higher", "lower", "higher"];

const doc = readFileSync(new URL("../../../docs/METHOD.md", import.meta.url), "utf8");
const example = doc.slice(doc.indexOf("## 10. Worked example"));

/** Numeric cells of the table row in the worked example whose first cell is `label`. */
function docRow(label: string): number[] {
  const line = example.split("\n").find((l) => l.startsWith(`| ${label} |`));
  if (line === undefined) throw new Error(`docs/METHOD.md worked example has no row "${label}"`);
  return line
    .split("|")
    .slice(2, -1)
    .map((c) => Number(c.trim()))
    .filter((x) => !Number.isNaN(x));
}

function expectRow(label: string, actual: readonly number[]): void {
  const documented = docRow(label);
  expect(documented, `row ${label}`).toHaveLength(actual.length);
  // The page rounds to 6 decimals.
  actual.forEach((x, i) => expect(documented[i], `row ${label}, cell ${i}`).toBeCloseTo(x, 6));
}

describe("the worked example in docs/METHOD.md", () => {
  const e = entropyWeights(MATRIX, DIRECTIONS);
  const t = topsis(MATRIX, [...e.weights], DIRECTIONS, { normalization: "minmax" });
  const degrees = [
    realisationDegree({ value: 5, target: 6, op: ">=" }).score, // 5/6
    realisationDegree({ value: 1.8, target: 1.9, op: "<=" }).score, // min(1.9/1.8, 1) = 1
    realisationDegree({ value: 45, target: 50, op: ">=" }).score, // 45/50
  ];
  const items = degrees.map((score, j) => ({ score, weight: e.weights[j] as number }));

  it("normalises each column by hand", () => {
    // I1 (x−4)/2, I2 (2.0−x)/0.5, I3 (x−40)/20
    expect(e.normalized[0]).toEqual([1, 0, 0]);
    expect(e.normalized[1]).toEqual([0, 1, 1]);
    expect(e.normalized[2]?.[0]).toBe(0.5);
    expect(e.normalized[2]?.[1]).toBeCloseTo(0.4, 12);
    expect(e.normalized[2]?.[2]).toBe(0.25);
  });

  it("derives entropy, divergence and weights by hand", () => {
    // e1 = 0.636514 / 1.098612; e2 = 0.598270 / 1.098612; e3 = 0.500402 / 1.098612
    expect(e.entropy.map((x) => Number(x.toFixed(6)))).toEqual([0.57938, 0.544568, 0.455486]);
    // d = 1 − e
    expect(e.divergence.map((x) => Number(x.toFixed(6)))).toEqual([0.42062, 0.455432, 0.544514]);
    // w = d / 1.420565
    expect(e.weights.map((x) => Number(x.toFixed(6)))).toEqual([0.296093, 0.320599, 0.383308]);
  });

  it("derives TOPSIS distances, closeness and ranks by hand", () => {
    // A: D+ = sqrt(0.102784 + 0.146925), D− = w1, C = 0.296093 / 0.795801
    expect(t[0]?.closeness).toBeCloseTo(0.372069, 6);
    // B mirrors A
    expect(t[1]?.closeness).toBeCloseTo(0.627931, 6);
    // C: D+ = sqrt(0.141565), D− = sqrt(0.047546), C = 0.218050 / 0.594302
    expect(t[2]?.dPlus).toBeCloseTo(0.376252, 6);
    expect(t[2]?.dMinus).toBeCloseTo(0.21805, 6);
    expect(t[2]?.closeness).toBeCloseTo(0.366902, 6);
    expect(t.map((r) => r.rank)).toEqual([2, 1, 3]);
  });

  it("derives region C's composite by hand", () => {
    // 0.246744 + 0.320599 + 0.344977
    expect(compositeScore(items, { method: "arithmetic" }).score).toBeCloseTo(0.91232, 6);
    // exp(−0.053984 − 0.040386)
    expect(compositeScore(items, { method: "geometric" }).score).toBeCloseTo(0.909946, 6);
  });

  it("matches every number printed in the page", () => {
    expectRow("A", MATRIX[0] as number[]);
    expectRow("B", MATRIX[1] as number[]);
    expectRow("C", MATRIX[2] as number[]);
    ["A", "B", "C"].forEach((r, i) => expectRow(`z_${r}`, e.normalized[i] as number[]));
    const columnSums = [0, 1, 2].map((j) => e.normalized.reduce((s, row) => s + (row[j] as number), 0));
    expectRow("sum z", columnSums);
    ["A", "B", "C"].forEach((r, i) =>
      expectRow(`p_${r}`, e.normalized[i]?.map((z, j) => z / (columnSums[j] as number)) ?? []),
    );
    expectRow(
      "sum p ln p",
      e.entropy.map((x) => -x * Math.log(3)),
    );
    expectRow("e_j", e.entropy);
    expectRow("d_j", e.divergence);
    expectRow("w_j", e.weights);
    ["A", "B", "C"].forEach((r, i) => {
      const row = t[i];
      expectRow(`TOPSIS ${r}`, row === undefined ? [] : [row.dPlus, row.dMinus, row.closeness, row.rank]);
    });
    ["I1", "I2", "I3"].forEach((label, j) => {
      const s = degrees[j] as number;
      const w = e.weights[j] as number;
      const value = [5, 1.8, 45][j] as number;
      expectRow(label, [value, s, w, w * s, w * Math.log(s)]);
    });
    expectRow("region C", [
      compositeScore(items, { method: "arithmetic" }).score as number,
      compositeScore(items, { method: "geometric" }).score as number,
    ]);
  });
});
