// Competition ranking ("1224"): higher score is better, ties share the best rank.

/** Writes 1-based competition ranks of `scores` (higher is better) into `out`; no allocation. */
export function competitionRanksInto(scores: ArrayLike<number>, out: { [i: number]: number }): void {
  const m = scores.length;
  for (let i = 0; i < m; i++) {
    const s = scores[i] as number;
    let better = 0;
    for (let k = 0; k < m; k++) if ((scores[k] as number) > s) better++;
    out[i] = better + 1;
  }
}

/** 1-based competition ranks (1, 1, 3, …) of `scores`, higher is better. */
export function competitionRanks(scores: readonly number[]): number[] {
  const out = new Array<number>(scores.length);
  competitionRanksInto(scores, out);
  return out;
}
