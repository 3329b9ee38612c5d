// Turns a table of observations into ObsRows with as little per-row work in JavaScript as DuckDB allows.
import type { DuckDBConnection, DuckDBVector } from "@duckdb/node-api";
import type { ObsRow } from "../model.ts";

const literal = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const enumOf = (values: readonly string[]): string => `ENUM(${values.map(literal).join(", ")})`;

/** The distinct values of the table's three code columns. */
export interface Dictionaries {
  readonly indicators: readonly string[];
  readonly regions: readonly string[];
  readonly periods: readonly string[];
}

/**
 * Reads `table` (indicator_code, region_code, period, value, vintage, obs_key), whose codes are all in `dict`.
 * The codes come back as ENUMs, so each distinct string is decoded once rather than once per row, and the
 * vintages are turned into ISO strings once per distinct instant.
 */
export async function decodeObservations(
  connection: DuckDBConnection,
  table: string,
  dict: Dictionaries,
): Promise<ObsRow[]> {
  if (dict.indicators.length === 0) return [];
  const result = await connection.run(
    `SELECT CAST(indicator_code AS ${enumOf(dict.indicators)}), CAST(region_code AS ${enumOf(dict.regions)}),
       CAST(period AS ${enumOf(dict.periods)}), value, CAST(epoch_ms(vintage) AS DOUBLE), obs_key FROM ${table}`,
  );
  const out: ObsRow[] = new Array(result.rowCount);
  const iso = new Map<number, string>();
  let n = 0;
  // rowCount and chunkCount are native calls: read once, not per iteration.
  for (let c = 0, chunks = result.chunkCount; c < chunks; c++) {
    const chunk = result.getChunk(c);
    const rows = chunk.rowCount;
    const v: DuckDBVector[] = [0, 1, 2, 3, 4, 5].map((k) => chunk.getColumnVector(k));
    const [ind, reg, per, val, vin, key] = v as [
      DuckDBVector,
      DuckDBVector,
      DuckDBVector,
      DuckDBVector,
      DuckDBVector,
      DuckDBVector,
    ];
    for (let i = 0; i < rows; i++) {
      const ms = vin.getItem(i) as number;
      let vintage = iso.get(ms);
      if (vintage === undefined) iso.set(ms, (vintage = new Date(ms).toISOString()));
      out[n++] = {
        indicator: ind.getItem(i) as string,
        region: reg.getItem(i) as string,
        period: per.getItem(i) as string,
        value: val.getItem(i) as number,
        vintage,
        obsKey: key.getItem(i) as bigint,
      };
    }
  }
  return out;
}
