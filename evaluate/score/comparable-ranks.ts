// Composite ranks among regions of one level whose composites cover the same dimensions (docs/METHOD.md §3.3).
import { competitionRanks, type DimensionScoresResult } from "../math/index.ts";

export interface CompositeRank {
  /** Null when the region has no composite or its composite covers other dimensions than the compared set. */
  readonly rank: number | null;
  readonly comparable: boolean;
  /** Why the region is not ranked; null when it is. */
  readonly note: string | null;
}

export interface RankedRegion {
  readonly code: string;
  readonly result: DimensionScoresResult;
}

const scoredKey = (r: DimensionScoresResult): string =>
  r.dimensions
    .filter((d) => d.scored)
    .map((d) => d.dimension)
    .join(",");

/**
 * Ranks the regions of one level by composite, comparing only those scored on the level's reference set of
 * dimensions: the set most regions share (ties: the larger set, then the first in code order). A region whose
 * composite covers other dimensions is listed unranked, with a note naming both sets.
 */
export function comparableRanks(regions: readonly RankedRegion[]): Map<string, CompositeRank> {
  const out = new Map<string, CompositeRank>();
  const withScore = regions.filter((r) => r.result.composite.score !== null);
  const counts = new Map<string, number>();
  for (const r of withScore) counts.set(scoredKey(r.result), (counts.get(scoredKey(r.result)) ?? 0) + 1);
  const reference = [...counts].sort(
    ([a, na], [b, nb]) => nb - na || b.split(",").length - a.split(",").length || (a < b ? -1 : a > b ? 1 : 0),
  )[0]?.[0];
  const compared = withScore.filter((r) => scoredKey(r.result) === reference);
  const ranks = competitionRanks(compared.map((r) => r.result.composite.score!));
  compared.forEach((r, i) => out.set(r.code, { rank: ranks[i]!, comparable: true, note: null }));
  for (const r of regions) {
    if (out.has(r.code)) continue;
    const own = scoredKey(r.result);
    out.set(r.code, {
      rank: null,
      comparable: false,
      note:
        r.result.composite.score === null
          ? "no dimension scored 无计分维度"
          : `not ranked 未参与排名: composite over ${own}; ranked regions of this level are scored on ${reference} (${compared.length} regions)`,
    });
  }
  return out;
}
