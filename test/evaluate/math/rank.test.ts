import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { competitionRanksInto, createCompetitionRanker } from "../../../evaluate/math/rank.ts";
import { RUNS } from "./arbitraries.ts";

/** The definition, written out: 1 + how many scores are strictly greater. */
function naiveRanks(scores: readonly number[]): number[] {
  return scores.map((s) => 1 + scores.filter((x) => x > s).length);
}

// Few distinct values (ties), both zeros, NaN and infinities: the cases a sorted copy could get wrong.
const score = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.double({ min: -1, max: 1 }),
);

describe("competitionRanksInto", () => {
  it("ranks through a sorted copy exactly as the definition does, ties, signed zeros and NaN included", () => {
    fc.assert(
      fc.property(fc.array(score, { maxLength: 120, size: "max" }), (scores) => {
        const fast = new Array<number>(scores.length);
        competitionRanksInto(scores, fast, new Float64Array(scores.length));
        const plain = new Array<number>(scores.length);
        competitionRanksInto(scores, plain);
        expect(fast).toEqual(naiveRanks(scores));
        expect(plain).toEqual(naiveRanks(scores));
      }),
      RUNS,
    );
  });

  it("ranks a run of changing score vectors, as Monte Carlo draws do, exactly as the definition does", () => {
    const vectors = fc
      .integer({ min: 1, max: 60 })
      .chain((m) => fc.array(fc.array(score, { minLength: m, maxLength: m }), { minLength: 1, maxLength: 12 }));
    fc.assert(
      fc.property(vectors, (draws) => {
        const rank = createCompetitionRanker(draws[0]!.length);
        for (const scores of draws) {
          const out = new Float64Array(scores.length);
          rank(Float64Array.from(scores), out);
          expect([...out]).toEqual(naiveRanks(scores));
        }
      }),
      RUNS,
    );
  });

  it("gives tied scores the best rank they share", () => {
    const scores = Array.from({ length: 40 }, (_, i) => Math.floor(i / 4));
    const out = new Float64Array(40);
    competitionRanksInto(scores, out, new Float64Array(40));
    expect([...out.slice(0, 4)]).toEqual([37, 37, 37, 37]);
    expect([...out.slice(36)]).toEqual([1, 1, 1, 1]);
  });
});
