// 泰尔指数 Theil T index (Theil 1967) and its exact between/within-group decomposition.
import { MathInputError } from "./errors.ts";
import type { DisparityResult } from "./disparity.ts";
import { at, finiteArray, nonNegative, weightsOrOnes } from "./validate.ts";

interface Totals {
  readonly y: number;
  readonly n: number;
}

/** Σ (y_i/Y) ln((y_i/Y)/(n_i/N)) with y_i = x_i·n_i; 0·ln 0 = 0. */
function theilOf(values: readonly number[], w: readonly number[]): { value: number } & Totals {
  let y = 0;
  let n = 0;
  values.forEach((x, i) => {
    y += x * at(w, i);
    n += at(w, i);
  });
  let t = 0;
  values.forEach((x, i) => {
    const ys = (x * at(w, i)) / y;
    if (ys > 0) t += ys * Math.log(ys / (at(w, i) / n));
  });
  return { value: t, y, n };
}

function checkValues(values: readonly number[], name: string): void {
  finiteArray(values, name);
  values.forEach((x, i) => nonNegative(x, `${name}[${i}]`));
  if (!values.some((x) => x > 0)) throw new MathInputError(name, "must have a positive total for a Theil index");
}

/**
 * Theil T index in population-share form: T = Σ (y_i/Y) ln((y_i/Y)/(n_i/N)), with
 * y_i = value_i × weight_i (per-capita income × population) and n_i = weight_i; unweighted,
 * n_i = 1 and T = (1/n) Σ (x_i/μ) ln(x_i/μ). Values ≥ 0 (0·ln 0 = 0), weights > 0.
 */
export function theilT(values: readonly number[], weights?: readonly number[]): DisparityResult {
  checkValues(values, "values");
  const w = weightsOrOnes(weights, values.length, "weights");
  return { value: Math.max(0, theilOf(values, w).value), weighted: weights !== undefined };
}

export interface TheilGroupInput {
  readonly group: string;
  readonly values: readonly number[];
  readonly weights?: readonly number[];
}

export interface TheilGroupContribution {
  readonly group: string;
  /** Y_g / Y */
  readonly incomeShare: number;
  /** N_g / N */
  readonly populationShare: number;
  /** Theil T inside the group. */
  readonly theil: number;
  /** (Y_g/Y)·T_g, this group's part of `within`. */
  readonly within: number;
  /** (Y_g/Y)·ln((Y_g/Y)/(N_g/N)), this group's part of `between`. */
  readonly between: number;
}

export interface TheilDecomposition {
  readonly total: number;
  readonly between: number;
  readonly within: number;
  readonly groups: readonly TheilGroupContribution[];
  readonly weighted: boolean;
}

/**
 * Splits Theil T over all units into between = Σ_g (Y_g/Y) ln((Y_g/Y)/(N_g/N)) and
 * within = Σ_g (Y_g/Y) T_g, so total = between + within. Either every group gives
 * weights or none does; group names must be unique.
 */
export function theilDecomposition(groups: readonly TheilGroupInput[]): TheilDecomposition {
  if (groups.length === 0) throw new MathInputError("groups", "must not be empty");
  const weighted = groups[0]?.weights !== undefined;
  const seen = new Set<string>();
  const parts = groups.map((g, k) => {
    if (seen.has(g.group)) throw new MathInputError(`groups[${k}].group`, `must be unique, got ${g.group} twice`);
    seen.add(g.group);
    if ((g.weights !== undefined) !== weighted) {
      throw new MathInputError(`groups[${k}].weights`, "must be given for every group or for none");
    }
    finiteArray(g.values, `groups[${k}].values`);
    g.values.forEach((x, i) => nonNegative(x, `groups[${k}].values[${i}]`));
    const w = weightsOrOnes(g.weights, g.values.length, `groups[${k}].weights`);
    return { group: g.group, values: g.values, w };
  });
  const all = theilOf(
    parts.flatMap((p) => p.values),
    parts.flatMap((p) => [...p.w]),
  );
  if (!(all.y > 0)) throw new MathInputError("groups", "must have a positive total income for a Theil index");
  const contributions = parts.map((p): TheilGroupContribution => {
    const g = p.values.some((x) => x > 0)
      ? theilOf(p.values, p.w)
      : { value: 0, y: 0, n: p.w.reduce((s, x) => s + x, 0) };
    const incomeShare = g.y / all.y;
    const populationShare = g.n / all.n;
    const between = incomeShare > 0 ? incomeShare * Math.log(incomeShare / populationShare) : 0;
    return { group: p.group, incomeShare, populationShare, theil: g.value, within: incomeShare * g.value, between };
  });
  const between = contributions.reduce((s, c) => s + c.between, 0);
  const within = contributions.reduce((s, c) => s + c.within, 0);
  return { total: all.value, between, within, groups: contributions, weighted };
}
