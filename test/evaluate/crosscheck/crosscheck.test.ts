import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  bandDegree,
  entropyWeights,
  gini,
  interpolateLinear,
  theilT,
  topsis,
  winsorize,
} from "../../../evaluate/math/index.ts";
import { mulberry32 } from "../../../evaluate/math/prng.ts";
import { REPO } from "../../helpers/cli.ts";
import { pythonWith } from "../../helpers/python-venv.ts";

// gongfu's maths against independent implementations: pymcdm, pyrepo-mcda and numpy, on random inputs, to 1e-12.
// The virtual environment is made by .ci/run; locally the test makes it on first use (PyPI must be reachable).
const PACKAGES = ["pymcdm", "pyrepo-mcda", "numpy"];
const TOLERANCE = 1e-12;

const ensurePython = (): string => pythonWith(PACKAGES);

const rand = mulberry32(20261206);
const between = (lo: number, hi: number) => lo + (hi - lo) * rand();
const int = (lo: number, hi: number) => Math.floor(between(lo, hi + 1));
const matrixOf = (m: number, n: number) =>
  Array.from({ length: m }, () => Array.from({ length: n }, () => between(0.5, 100)));
const vectorOf = (n: number, lo = 0.5, hi = 100) => Array.from({ length: n }, () => between(lo, hi));
const normalised = (w: number[]) => w.map((x) => x / w.reduce((a, b) => a + b, 0));

type Case = { kind: string } & Record<string, unknown>;
const cases: Case[] = [];
const ours: unknown[] = [];
function add(c: Case, result: unknown): void {
  cases.push(c);
  ours.push(result);
}

for (let k = 0; k < 25; k++) {
  const m = int(3, 15);
  const n = int(2, 8);
  const matrix = matrixOf(m, n);
  const types = Array.from({ length: n }, () => (rand() < 0.5 ? 1 : -1));
  const directions = types.map((t): "higher" | "lower" => (t === 1 ? "higher" : "lower"));
  const weights = normalised(vectorOf(n, 0.1, 1));
  add({ kind: "entropy_sum", matrix }, entropyWeights(matrix, directions, { convention: "sum" }).weights);
  const e = entropyWeights(matrix, directions);
  add({ kind: "entropy_minmax", matrix, types }, { weights: e.weights, entropy: e.entropy });
  const closeness = (normalization: "minmax" | "vector") =>
    topsis(matrix, weights, directions, { normalization }).map((r) => r.closeness);
  add({ kind: "topsis", normalization: "minmax", matrix, weights, types }, closeness("minmax"));
  add({ kind: "topsis", normalization: "vector", matrix, weights, types }, closeness("vector"));
}
for (let k = 0; k < 25; k++) {
  const values = vectorOf(int(2, 40), 0, 200_000);
  const weights = vectorOf(values.length, 1, 1000);
  const ones = values.map(() => 1);
  add({ kind: "gini", values, weights }, gini(values, weights).value);
  add({ kind: "gini", values, weights: ones }, gini(values).value);
  add({ kind: "theil", values, weights }, theilT(values, weights).value);
  add({ kind: "theil", values, weights: ones }, theilT(values).value);
  const [lo, hi] = rand() < 0.5 ? [0.05, 0.95] : [0.1, 0.9];
  add({ kind: "winsorize", values, lower: lo, upper: hi }, winsorize(values, lo, hi).values);
  const lower = between(-5, 50);
  const upper = lower + between(0, 30);
  const xs = vectorOf(15, -20, 120);
  add(
    { kind: "band", values: xs, lower, upper },
    xs.map((x) => bandDegree(x, { lower, upper })),
  );
  const t0 = between(2019, 2024);
  const t1 = t0 + between(0.1, 3);
  const t = between(t0, t1);
  const [v0, v1] = [between(-100, 1e5), between(-100, 1e5)];
  add({ kind: "interpolate", t0, t1, v0, v1, t }, interpolateLinear({ t: t0, value: v0 }, { t: t1, value: v1 }, t));
}

let reference: unknown[];
beforeAll(() => {
  const python = ensurePython();
  const out = execFileSync(python, [join(REPO, "test/evaluate/crosscheck/reference.py")], {
    input: JSON.stringify({ cases }),
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  reference = (JSON.parse(out.toString("utf8")) as { results: unknown[] }).results;
}, 900_000);

/** Every number in `actual` within 1e-12 (relative above 1) of the same place in `expected`. */
function close(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === "number") {
    expect(typeof actual, where).toBe("number");
    const tol = TOLERANCE * Math.max(1, Math.abs(expected));
    expect(Math.abs((actual as number) - expected), `${where}: ${String(actual)} vs ${expected}`).toBeLessThanOrEqual(
      tol,
    );
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length === expected.length, where).toBe(true);
    expected.forEach((e, i) => close((actual as unknown[])[i], e, `${where}[${i}]`));
    return;
  }
  for (const [k, e] of Object.entries(expected as Record<string, unknown>))
    close((actual as Record<string, unknown>)[k], e, `${where}.${k}`);
}

const compare = (kind: string, pick: (ref: unknown) => unknown = (r) => r) => {
  let n = 0;
  cases.forEach((c, i) => {
    if (c.kind !== kind) return;
    close(ours[i], pick(reference[i]), `${kind} case ${i}`);
    n++;
  });
  expect(n).toBeGreaterThan(0);
};

describe("cross-check against pymcdm, pyrepo-mcda and numpy (random inputs, 1e-12)", () => {
  it("entropy weights, sum convention: pymcdm's entropy_weights and pyrepo-mcda's entropy_weighting", () => {
    compare("entropy_sum", (r) => (r as { pymcdm: number[] }).pymcdm);
    compare("entropy_sum", (r) => (r as { pyrepo: number[] }).pyrepo);
  });
  it("entropy weights, min-max convention: pyrepo-mcda's min-max normalisation and numpy", () => {
    compare("entropy_minmax");
  });
  it("TOPSIS closeness with min-max (pymcdm) and vector normalisation (pymcdm and pyrepo-mcda)", () => {
    cases.forEach((c, i) => {
      const ref = reference[i] as Record<string, number[]>;
      if (c.kind !== "topsis") return;
      for (const lib of Object.keys(ref)) close(ours[i], ref[lib], `topsis ${String(c["normalization"])} ${lib} ${i}`);
    });
  });
  it("Gini and Theil T, weighted and unweighted (numpy)", () => {
    compare("gini");
    compare("theil");
  });
  it("band scoring, winsorisation and linear interpolation (numpy)", () => {
    compare("band");
    compare("winsorize");
    compare("interpolate");
  });
});
