import { withWarehouse } from "../helpers/duckdb.ts";

/**
 * Every observation of a warehouse as one sorted line each: what "the same warehouse" means for the fault tests. A
 * derived observation's position names the record snapshot (batches of its feed loaded) it was computed on, which
 * depends on how batches were grouped into deliveries, not on what was loaded: its number is left out.
 */
export async function observationSet(warehouse: string): Promise<string[]> {
  return withWarehouse(warehouse, async (query) => {
    const rows = await query(
      `SELECT concat_ws('|', indicator_code, region_code, period, CAST(value AS VARCHAR), unit, ` +
        `CAST(vintage AS VARCHAR), source_feed, source_uri, ` +
        `regexp_replace(source_position, '^snapshot [0-9]+', 'snapshot n')) AS line
      FROM fact_observation ORDER BY line`,
    );
    return rows.map((r) => String(r["line"]));
  });
}

/** Lines of `actual` missing from `expected`'s multiset and extra ones (duplicates count as extra). */
export function compareSets(
  expected: string[],
  actual: string[],
): { lost: number; duplicated: number; unexpected: number } {
  const want = new Map<string, number>();
  for (const l of expected) want.set(l, (want.get(l) ?? 0) + 1);
  let duplicated = 0;
  let unexpected = 0;
  for (const l of actual) {
    const left = want.get(l);
    if (left === undefined) unexpected++;
    else if (left === 0) duplicated++;
    else want.set(l, left - 1);
  }
  const lost = [...want.values()].reduce((a, b) => a + b, 0);
  return { lost, duplicated, unexpected };
}
