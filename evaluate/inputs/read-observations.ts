// Reads what was known at the as-of instant for the periods a run can use, through the obs_as_of macro.
import type { DuckDBConnection } from "@duckdb/node-api";
import { Period } from "../../schemas/index.ts";
import type { ObsRow } from "../model.ts";

const periodList = (periods: readonly string[]): string => periods.map((p) => `'${Period.parse(p)}'`).join(", ");

/** Rows of obs_as_of(asOf) for the given periods (canonical period strings, validated before use in SQL). */
export async function readObservations(connection: DuckDBConnection, asOf: string, periods: readonly string[]): Promise<ObsRow[]> {
  const list = periodList(periods);
  const sql = `SELECT indicator_code, region_code, period, value, epoch_ms(vintage) AS vintage_ms, obs_key
    FROM obs_as_of(CAST($1 AS TIMESTAMPTZ)) WHERE period IN (${list})`;
  // Reading the UHUGEINT key as is (a bigint) is fast; DuckDB's cast of UHUGEINT to text is not.
  const columns = (await connection.runAndReadAll(sql, [asOf])).getColumnsJS();
  const [ind, reg, per, val, vin, key] = columns;
  const n = ind?.length ?? 0;
  const out: ObsRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      indicator: String(ind![i]),
      region: String(reg![i]),
      period: String(per![i]),
      value: Number(val![i]),
      vintage: new Date(Number(vin![i])).toISOString(),
      obsKey: key![i] as bigint,
    };
  }
  return out;
}

/** The newest vintage at or before `now`: the as-of that reproduces obs_as_of(now) and stays stable until new data arrives. */
export async function latestVintage(connection: DuckDBConnection, now: string): Promise<string | null> {
  const rows = (await connection.runAndReadAll("SELECT epoch_ms(max(vintage)) AS ms FROM fact_observation WHERE vintage <= CAST($1 AS TIMESTAMPTZ)", [now])).getRows();
  const ms = rows[0]?.[0];
  return ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString();
}

/**
 * A fingerprint of the rows readObservations would return, without reading them: it changes when an observation
 * with an old vintage is loaded late, which would otherwise change the numbers of a run with the same id.
 */
export async function inputFingerprint(connection: DuckDBConnection, asOf: string, periods: readonly string[]): Promise<string> {
  const sql = `SELECT count(*) AS n, coalesce(bit_xor(hash(obs_key, value, vintage)), 0) AS x FROM obs_as_of(CAST($1 AS TIMESTAMPTZ)) WHERE period IN (${periodList(periods)})`;
  const [n, x] = (await connection.runAndReadAll(sql, [asOf])).getRows()[0] ?? [0, 0];
  return `${String(n)}:${String(x)}`;
}
