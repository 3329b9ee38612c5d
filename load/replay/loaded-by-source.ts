// What the warehouse holds of a replayed feed: observations per source record, to tell a resolved record from one
// whose observations have not arrived.
import type { DuckDBConnection } from "@duckdb/node-api";
import { WAREHOUSE } from "../../schemas/index.ts";

/** Observations in the warehouse per source record of a feed, keyed like the replayed records (without the column). */
export async function loadedBySource(connection: DuckDBConnection, feed: string): Promise<Map<string, number>> {
  const rows = (
    await connection.runAndReadAll(
      `SELECT source_uri, source_position, count(*) AS n FROM ${WAREHOUSE.factObservation} WHERE source_feed = $1 GROUP BY ALL`,
      [feed],
    )
  ).getRowObjectsJson();
  const out = new Map<string, number>();
  for (const r of rows) {
    // formatPosition puts the column last: "line 63 column 居民人均可支配收入(元)".
    const position = String(r["source_position"]).replace(/(^| )column .*$/, "") || "whole source";
    const key = `${feed}|${String(r["source_uri"])}|${position}`;
    out.set(key, (out.get(key) ?? 0) + Number(r["n"]));
  }
  return out;
}
