// Entropy weights under the run's convention; the sum convention needs non-negative columns.
import { entropyWeights, type EntropyConvention, type EntropyWeightsResult } from "../math/index.ts";

type Direction = "higher" | "lower";

/**
 * entropyWeights with `convention`. Under `sum` (p = x / Σx) a column with a negative value (a change in
 * percentage points, say) is first shifted to start at 0, as the convention needs shares of a non-negative total.
 */
export function entropyFor(
  matrix: readonly (readonly number[])[],
  directions: readonly Direction[],
  convention: EntropyConvention,
): EntropyWeightsResult {
  if (convention !== "sum") return entropyWeights(matrix, directions);
  const mins = directions.map((_, j) => Math.min(...matrix.map((r) => r[j]!)));
  const shifted = matrix.map((r) => r.map((x, j) => (mins[j]! < 0 ? x - mins[j]! : x)));
  return entropyWeights(shifted, directions, { convention: "sum" });
}
