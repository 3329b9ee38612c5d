// Reads what was known at the as-of instant for the periods a run can use, through the obs_as_of macro.
import type { DuckDBConnection } from "@duckdb/node-api";
import { WAREHOUSE, Period } from "../../schemas/index.ts";
import type { ObsRow } from "../model.ts";
import { decodeObservations, type Dictionaries } from "./decode-observations.ts";

const periodList = (periods: readonly string[]): string => periods.map((p) => `'${Period.parse(p)}'`).join(", ");

/** The rows of obs_as_of(asOf) for some periods, computed once into a temporary table of this connection. */
export interface StagedInputs {
  /** Changes when an observation with an old vintage is loaded late, which would otherwise change a run's numbers. */
  fingerprint(): Promise<string>;
  read(): Promise<ObsRow[]>;
  drop(): Promise<void>;
}

// Several readers may share a connection (a report while a run is written); each gets its own table.
let staged = 0;

/**
 * Evaluates obs_as_of(asOf) for the given periods (canonical period strings, validated before use in SQL) once,
 * so that the fingerprint and the rows come from one computation of "newest vintage" rather than two.
 */
export async function stageInputs(
  connection: DuckDBConnection,
  asOf: string,
  periods: readonly string[],
): Promise<StagedInputs> {
  const table = `eval_input_${++staged}`;
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT indicator_code, region_code, period, value, vintage, obs_key
     FROM ${WAREHOUSE.obsAsOf}(CAST($1 AS TIMESTAMPTZ)) WHERE period IN (${periodList(periods)})`,
    [asOf],
  );
  // One scan gives the fingerprint and the distinct codes the rows will be decoded with.
  let summary: Promise<{ fingerprint: string; dictionaries: Dictionaries }> | undefined;
  const summarise = async () => {
    const [n, x, indicators, regions] = (
      await connection.runAndReadAll(
        `SELECT count(*) AS n, coalesce(bit_xor(hash(obs_key, value, vintage)), 0) AS x, ` +
          `coalesce(list(DISTINCT indicator_code), []), coalesce(list(DISTINCT region_code), []) FROM ${table}`,
      )
    ).getRowsJS()[0] ?? [0, 0, [], []];
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
    return {
      fingerprint: `${String(n)}:${String(x)}`,
      dictionaries: { indicators: strings(indicators), regions: strings(regions), periods: [...new Set(periods)] },
    };
  };
  return {
    fingerprint: async () => (await (summary ??= summarise())).fingerprint,
    read: async () => decodeObservations(connection, table, (await (summary ??= summarise())).dictionaries),
    drop: async () => void (await connection.run(`DROP TABLE IF EXISTS ${table}`)),
  };
}

/** Rows of obs_as_of(asOf) for the given periods. */
export async function readObservations(
  connection: DuckDBConnection,
  asOf: string,
  periods: readonly string[],
): Promise<ObsRow[]> {
  const inputs = await stageInputs(connection, asOf, periods);
  try {
    return await inputs.read();
  } finally {
    await inputs.drop();
  }
}

/** The newest vintage at or before `now`: the as-of that reproduces obs_as_of(now) and stays stable until new data arrives. */
export async function latestVintage(connection: DuckDBConnection, now: string): Promise<string | null> {
  const rows = (
    await connection.runAndReadAll(
      `SELECT epoch_ms(max(vintage)) AS ms FROM ${WAREHOUSE.factObservation} WHERE vintage <= CAST($1 AS TIMESTAMPTZ)`,
      [now],
    )
  ).getRows();
  const ms = rows[0]?.[0];
  return ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString();
}
