import { createHash } from "node:crypto";

/**
 * The fingerprint of a warehouse: every fact row and every quarantine row, in a stable order, without what differs
 * from run to run or clone to clone by design: load and ingest times, vintages taken from file times, the demo
 * server's random port, Kafka offsets and the keys hashed over them. Two runs of the same code on the same samples
 * give the same fingerprint; a change in any value, unit, code, position or dead-letter reason changes it.
 */
export const FACT_SQL = `
  SELECT indicator_code, region_code, period, value, unit, source_feed,
         regexp_replace(source_uri, '127\\.0\\.0\\.1:[0-9]+', '127.0.0.1:PORT') AS source_uri,
         source_position, source_line, source_sheet, source_row, source_column
  FROM fact_observation`;

export const QUARANTINE_SQL = `
  SELECT stage, feed, regexp_replace(source_uri, '127\\.0\\.0\\.1:[0-9]+', '127.0.0.1:PORT') AS source_uri,
         source_position, reason_codes, CAST(reasons AS VARCHAR) AS reasons, CAST(payload AS VARCHAR) AS payload
  FROM quarantine`;

export interface TableFingerprint {
  rows: number;
  sha256: string;
}

export type WarehouseFingerprint = Record<string, Record<string, TableFingerprint>>;

/** Rows as tab-separated lines, sorted, so that order of arrival does not matter. */
export function lines(rows: Record<string, unknown>[]): string[] {
  return rows
    .map((r) =>
      Object.values(r)
        .map((v) => (v === null ? "\\N" : String(v)))
        .join("\t"),
    )
    .sort();
}

/** Per table and per feed: how many rows, and the sha256 of their sorted lines. */
export function fingerprint(table: string, rows: Record<string, unknown>[], feedColumn: string): WarehouseFingerprint {
  const byFeed = new Map<string, Record<string, unknown>[]>();
  for (const r of rows) {
    const feed = String(r[feedColumn]);
    byFeed.set(feed, [...(byFeed.get(feed) ?? []), r]);
  }
  const out: Record<string, TableFingerprint> = {};
  for (const feed of [...byFeed.keys()].sort()) {
    const sorted = lines(byFeed.get(feed) ?? []);
    out[feed] = { rows: sorted.length, sha256: createHash("sha256").update(sorted.join("\n")).digest("hex") };
  }
  return { [table]: out };
}
