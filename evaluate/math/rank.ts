// Competition ranking ("1224"): higher score is better, ties share the best rank.

/** Index of the first element of ascending `sorted[0, end)` greater than `s`. */
function firstGreater(sorted: Float64Array, end: number, s: number): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) > s) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Writes 1-based competition ranks of `scores` (higher is better) into `out`: 1 + how many scores are greater.
 * With `scratch` (room for every score) the count comes from a sorted copy, O(m log m) instead of O(m²); NaN is
 * greater than nothing and nothing is greater than NaN either way.
 */
export function competitionRanksInto(
  scores: ArrayLike<number>,
  out: { [i: number]: number },
  scratch?: Float64Array,
): void {
  const m = scores.length;
  if (scratch === undefined || scratch.length < m || m < 16) {
    for (let i = 0; i < m; i++) {
      const s = scores[i] as number;
      let better = 0;
      for (let k = 0; k < m; k++) if ((scores[k] as number) > s) better++;
      out[i] = better + 1;
    }
    return;
  }
  const sorted = scratch.subarray(0, m);
  for (let i = 0; i < m; i++) sorted[i] = scores[i] as number;
  // Typed-array sort is numeric and puts NaN last; the numbers before it are what a score can be below.
  sorted.sort();
  let numbers = m;
  while (numbers > 0 && Number.isNaN(sorted[numbers - 1])) numbers--;
  for (let i = 0; i < m; i++) {
    const s = scores[i] as number;
    out[i] = Number.isNaN(s) ? 1 : numbers - firstGreater(sorted, numbers, s) + 1;
  }
}

/**
 * competitionRanksInto for a run of score vectors that change little from one call to the next (Monte Carlo
 * draws): the order of the previous call is kept and insertion-sorted, close to O(m) per call. The same ranks.
 */
export function createCompetitionRanker(m: number): (scores: Float64Array, out: Float64Array) => void {
  const order = Int32Array.from({ length: m }, (_, i) => i);
  return (scores, out) => {
    for (let i = 0; i < m; i++) if (Number.isNaN(scores[i]!)) return competitionRanksInto(scores, out);
    for (let i = 1; i < m; i++) {
      const k = order[i]!;
      const v = scores[k]!;
      let j = i - 1;
      for (; j >= 0 && scores[order[j]!]! > v; j--) order[j + 1] = order[j]!;
      order[j + 1] = k;
    }
    // Ascending now; from the top, a row's rank is 1 + how many rows sit strictly above its group of equals.
    let greater = 0;
    for (let q = m - 1; q >= 0; q--) {
      const k = order[q]!;
      if (q < m - 1 && scores[order[q + 1]!]! > scores[k]!) greater = m - 1 - q;
      out[k] = greater + 1;
    }
  };
}

/** 1-based competition ranks (1, 1, 3, …) of `scores`, higher is better. */
export function competitionRanks(scores: readonly number[]): number[] {
  const out = new Array<number>(scores.length);
  competitionRanksInto(scores, out, new Float64Array(scores.length));
  return out;
}
