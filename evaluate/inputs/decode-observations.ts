// Turns a table of observations into ObsRows with as little per-row work in JavaScript as DuckDB allows.
import type { DuckDBConnection, DuckDBVector } from "@duckdb/node-api";
import type { ObsRow } from "../model.ts";

const literal = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const enumOf = (values: Iterable<string>): string => `ENUM(${[...values].map(literal).join(", ")})`;

/** Distinct indicator and region codes of the table: the dictionaries of its two string columns. */
async function dictionaries(connection: DuckDBConnection, table: string): Promise<{ indicators: string[]; regions: string[] }> {
  const [ind, reg] = (await connection.runAndReadAll(`SELECT list(DISTINCT indicator_code), list(DISTINCT region_code) FROM ${table}`)).getColumnsJS();
  return { indicators: ((ind?.[0] ?? []) as unknown[]).map(String), regions: ((reg?.[0] ?? []) as unknown[]).map(String) };
}

/**
 * Reads `table` (indicator_code, region_code, period, value, vintage, obs_key; periods all among `periods`).
 * The codes come back as ENUMs, so each distinct string is decoded once rather than once per row, and the
 * vintages are turned into ISO strings once per distinct instant.
 */
export async function decodeObservations(connection: DuckDBConnection, table: string, periods: readonly string[]): Promise<ObsRow[]> {
  const { indicators, regions } = await dictionaries(connection, table);
  if (indicators.length === 0) return [];
  const result = await connection.run(
    `SELECT CAST(indicator_code AS ${enumOf(indicators)}), CAST(region_code AS ${enumOf(regions)}), CAST(period AS ${enumOf(new Set(periods))}),
       value, CAST(epoch_ms(vintage) AS DOUBLE), obs_key FROM ${table}`,
  );
  const out: ObsRow[] = new Array(result.rowCount);
  const iso = new Map<number, string>();
  let n = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const v: DuckDBVector[] = [0, 1, 2, 3, 4, 5].map((k) => chunk.getColumnVector(k));
    const [ind, reg, per, val, vin, key] = v as [DuckDBVector, DuckDBVector, DuckDBVector, DuckDBVector, DuckDBVector, DuckDBVector];
    for (let i = 0; i < chunk.rowCount; i++) {
      const ms = vin.getItem(i) as number;
      let vintage = iso.get(ms);
      if (vintage === undefined) iso.set(ms, (vintage = new Date(ms).toISOString()));
      out[n++] = { indicator: ind.getItem(i) as string, region: reg.getItem(i) as string, period: per.getItem(i) as string, value: val.getItem(i) as number, vintage, obsKey: key.getItem(i) as bigint };
    }
  }
  return out;
}
