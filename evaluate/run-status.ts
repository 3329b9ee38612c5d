// The last evaluation runs, for `gongfu status` and the scheduler's metrics: read from eval_run if it exists yet.
import type { DuckDBConnection } from "@duckdb/node-api";
import { WAREHOUSE } from "../schemas/index.ts";

export interface EvalRunSummary {
  runId: string;
  period: string;
  status: string;
  trigger: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface LastEvaluationRuns {
  lastRun: EvalRunSummary | null;
  lastSucceeded: EvalRunSummary | null;
  note?: string;
}

const iso = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

function summary(r: Record<string, unknown> | undefined): EvalRunSummary | null {
  if (!r) return null;
  return {
    runId: String(r["run_id"]),
    period: String(r["period"]),
    status: String(r["status"]),
    trigger: (r["trigger"] as string | null) ?? null,
    startedAt: iso(r["started"]),
    finishedAt: iso(r["finished"]),
    error: (r["error"] as string | null) ?? null,
  };
}

async function rowsOf(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** A warehouse that was never evaluated has no eval_run (as a table or, in bi.duckdb, a view). */
async function hasEvalRun(connection: DuckDBConnection): Promise<boolean> {
  const rows = await rowsOf(
    connection,
    `SELECT 1 FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = '${WAREHOUSE.evalRun}'
     UNION ALL SELECT 1 FROM duckdb_views() WHERE schema_name = 'main' AND view_name = '${WAREHOUSE.evalRun}'`,
  );
  return rows.length > 0;
}

const SELECT_RUN =
  'SELECT run_id, period, status, "trigger", error, epoch_ms(started_at) AS started, epoch_ms(finished_at) AS finished ' +
  `FROM ${WAREHOUSE.evalRun}`;

/** The last run and the last successful one, or a note saying why there are none. */
export async function lastEvaluationRuns(connection: DuckDBConnection): Promise<LastEvaluationRuns> {
  if (!(await hasEvalRun(connection)))
    return { lastRun: null, lastSucceeded: null, note: "no evaluation has run yet (no eval_run table)" };
  try {
    const last = await rowsOf(connection, `${SELECT_RUN} ORDER BY started_at DESC NULLS LAST LIMIT 1`);
    const ok = await rowsOf(
      connection,
      `${SELECT_RUN} WHERE status = 'succeeded' ORDER BY finished_at DESC NULLS LAST LIMIT 1`,
    );
    return { lastRun: summary(last[0]), lastSucceeded: summary(ok[0]) };
  } catch (err) {
    // An older or newer eval_run layout: say so rather than fail the whole status.
    return {
      lastRun: null,
      lastSucceeded: null,
      note: `eval_run could not be read: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
    };
  }
}
