import type { DuckDBConnection } from "@duckdb/node-api";
import { rowsOf, tableExists } from "./read-warehouse.ts";

/** What the warehouse holds of one record feed: batches and records loaded, and the cells derived from them. */
export interface RecordFeedCounts {
  /** Source files with at least one batch loaded. */
  filesLoaded: number;
  /** Records loaded, revisions included (each version of a record is one row of rec_<feed>). */
  recordsLoaded: number;
  lastLoadedAt: string | null;
  derivedCells: number;
  /** Cells built from fewer than k records: in derived_cell without a value, never an observation. */
  suppressedCells: number;
  /** The latest period with a derived cell, e.g. 2021; null before any derivation. */
  latestPeriod: string | null;
}

const iso = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

/**
 * Per record feed, from record_batch and derived_cell (migration 6). Both are small: a row per batch of up to
 * RECORD_BATCH_ROWS records and one per cell, so status never scans the record tables themselves.
 */
export async function recordFeedCounts(connection: DuckDBConnection): Promise<Map<string, RecordFeedCounts>> {
  const feeds = new Map<string, RecordFeedCounts>();
  const of = (feed: string): RecordFeedCounts => {
    let counts = feeds.get(feed);
    if (!counts)
      feeds.set(
        feed,
        (counts = {
          filesLoaded: 0,
          recordsLoaded: 0,
          lastLoadedAt: null,
          derivedCells: 0,
          suppressedCells: 0,
          latestPeriod: null,
        }),
      );
    return counts;
  };
  if (await tableExists(connection, "record_batch"))
    for (const r of await rowsOf(
      connection,
      `SELECT feed, count(DISTINCT checksum) AS files, sum(records) AS records, epoch_ms(max(loaded_at)) AS last
       FROM record_batch GROUP BY feed`,
    )) {
      const c = of(String(r["feed"]));
      c.filesLoaded = Number(r["files"]);
      c.recordsLoaded = Number(r["records"]);
      c.lastLoadedAt = iso(r["last"]);
    }
  if (await tableExists(connection, "derived_cell"))
    for (const r of await rowsOf(
      connection,
      // Periods of record feeds are years for now: the greatest string is the latest.
      `SELECT feed, count(*) AS cells, count(*) FILTER (WHERE suppressed) AS suppressed, max(period) AS latest
       FROM derived_cell GROUP BY feed`,
    )) {
      const c = of(String(r["feed"]));
      c.derivedCells = Number(r["cells"]);
      c.suppressedCells = Number(r["suppressed"]);
      c.latestPeriod = r["latest"] === null ? null : String(r["latest"]);
    }
  return feeds;
}
