import type { DuckDBConnection } from "@duckdb/node-api";
import type { Derivation, RecordFeedSpec } from "../../schemas/index.ts";
import { cellRowsSql, REGION_ANCESTOR_VIEW } from "./derive-sql.ts";
import { literal } from "./record-table.ts";

/** How one derived cell was made: its state, the observations of the cell, and the records behind it. */
export interface DerivationChain {
  derivation: Derivation;
  feed: RecordFeedSpec;
  cell?: { value: number | null; records: number; suppressed: boolean; snapshot: number; vintage: string };
  observations: { value: number; vintage: string; feed: string; uri: string; position: string; newest: boolean }[];
  sources: { uri: string; checksum: string; vintage: string; records: number; firstLine: number; lastLine: number }[];
  /** A few record keys of the cell, as stored: pseudonyms where the key is a personal identifier. */
  sampleKeys: string[];
}

const rowsOf = async (c: DuckDBConnection, sql: string) => (await c.runAndReadAll(sql)).getRowObjects();

/**
 * The chain from an indicator's cell to its derivation and records, read from the warehouse (read-only use). Only
 * counts, source files and record keys: no personal attribute is read out.
 */
export async function derivationChain(
  connection: DuckDBConnection,
  derivation: Derivation,
  feed: RecordFeedSpec,
  region: string,
  period: string,
): Promise<DerivationChain> {
  await connection.run(REGION_ANCESTOR_VIEW);
  const [cell] = await rowsOf(
    connection,
    `SELECT value, records, suppressed, snapshot, CAST(vintage AS VARCHAR) AS vintage FROM derived_cell
     WHERE derivation = ${literal(derivation.id)} AND region_code = ${literal(region)} AND period = ${literal(period)}`,
  );
  const observations = await rowsOf(
    connection,
    `SELECT value, CAST(vintage AS VARCHAR) AS vintage, source_feed, source_uri, source_position,
            obs_key = (SELECT obs_key FROM obs_latest l WHERE l.indicator_code = f.indicator_code
                       AND l.region_code = f.region_code AND l.period = f.period) AS newest
     FROM fact_observation f
     WHERE indicator_code = ${literal(derivation.indicator)} AND region_code = ${literal(region)} AND period = ${literal(period)}
     ORDER BY vintage DESC, ingested_at DESC`,
  );
  const cells = cellRowsSql(derivation, feed, { kind: "one", region, period });
  const sources = await rowsOf(
    connection,
    `${cells} SELECT _source_uri AS uri, _checksum AS checksum, CAST(max(_vintage) AS VARCHAR) AS vintage,
       count(*) AS records, min(_line) AS first_line, max(_line) AS last_line
     FROM cells GROUP BY ALL ORDER BY vintage, uri`,
  );
  const keys = feed.records.key.filter((k) => feed.records.columns[k]?.personal !== "attribute");
  const sampleKeys =
    keys.length === 0
      ? []
      : await rowsOf(
          connection,
          `${cells} SELECT concat_ws(' ', ${keys.map((k) => `CAST(${k} AS VARCHAR)`).join(", ")}) AS k
           FROM cells ORDER BY _source_uri, _line LIMIT 3`,
        );
  return {
    derivation,
    feed,
    ...(cell
      ? {
          cell: {
            value: cell["value"] === null ? null : Number(cell["value"]),
            records: Number(cell["records"]),
            suppressed: Boolean(cell["suppressed"]),
            snapshot: Number(cell["snapshot"]),
            vintage: String(cell["vintage"]),
          },
        }
      : {}),
    observations: observations.map((o) => ({
      value: Number(o["value"]),
      vintage: String(o["vintage"]),
      feed: String(o["source_feed"]),
      uri: String(o["source_uri"]),
      position: String(o["source_position"]),
      newest: o["newest"] === true,
    })),
    sources: sources.map((s) => ({
      uri: String(s["uri"]),
      checksum: String(s["checksum"]),
      vintage: String(s["vintage"]),
      records: Number(s["records"]),
      firstLine: Number(s["first_line"]),
      lastLine: Number(s["last_line"]),
    })),
    sampleKeys: sampleKeys.map((r) => String(r["k"])),
  };
}
