// Reading the evaluation tables for people: rows as plain JSON-safe objects.
import type { DuckDBConnection } from "@duckdb/node-api";
import { ConfigError } from "../../runtime/errors.ts";

export type Rec = Record<string, unknown>;

export async function query(
  connection: DuckDBConnection,
  sql: string,
  params: (string | number)[] = [],
): Promise<Rec[]> {
  return (await connection.runAndReadAll(sql, params)).getRowObjectsJson() as Rec[];
}

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export interface RunRef {
  readonly runId: string;
  readonly period: string;
  readonly asOf: string;
  readonly asOfSource: string;
  readonly status: string;
  readonly config: Rec;
  readonly inputRowCount: number | null;
  readonly regions: number | null;
  readonly derived: readonly Rec[];
  readonly finishedAt: string | null;
}

const RUN_COLUMNS = `run_id, period, strftime(as_of AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS as_of, as_of_source, status,
  CAST(config AS VARCHAR) AS config, input_row_count, regions, CAST(derived AS VARCHAR) AS derived,
  strftime(finished_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS finished_at`;

function toRef(r: Rec): RunRef {
  return {
    runId: String(r["run_id"]),
    period: String(r["period"]),
    asOf: String(r["as_of"]),
    asOfSource: String(r["as_of_source"]),
    status: String(r["status"]),
    config: JSON.parse(String(r["config"])) as Rec,
    inputRowCount: num(r["input_row_count"]),
    regions: num(r["regions"]),
    derived: r["derived"] === null ? [] : (JSON.parse(String(r["derived"])) as Rec[]),
    finishedAt: str(r["finished_at"]),
  };
}

/** The run to show: the given id, or the latest successful run of the period (newest as-of). */
export async function findRunRef(
  connection: DuckDBConnection,
  options: { period?: string; runId?: string },
): Promise<RunRef> {
  const tables = await query(
    connection,
    "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'eval_run' AND schema_name = 'main'",
  );
  if (Number(tables[0]?.["n"] ?? 0) === 0)
    throw new ConfigError("the warehouse has no evaluation runs yet", {
      hint: "run gongfu evaluate --period <period> first",
    });
  const rows = options.runId
    ? await query(connection, `SELECT ${RUN_COLUMNS} FROM eval_run WHERE run_id = $1`, [options.runId])
    : await query(
        connection,
        `SELECT ${RUN_COLUMNS} FROM eval_run WHERE period = $1 AND status = 'succeeded' ORDER BY as_of DESC, finished_at DESC, run_id LIMIT 1`,
        [options.period ?? ""],
      );
  const r = rows[0];
  if (!r) {
    const what = options.runId ? `run ${options.runId}` : `successful run for period ${options.period ?? "?"}`;
    throw new ConfigError(`there is no ${what} in the warehouse`, {
      hint: `run gongfu evaluate --period ${options.period ?? "<period>"} first`,
    });
  }
  return toRef(r);
}
