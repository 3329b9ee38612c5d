import type { DuckDBConnection } from "@duckdb/node-api";
import cron from "node-cron";
import { rowsOf, tableExists } from "./read-warehouse.ts";

export interface EvalRunSummary {
  runId: string;
  period: string;
  status: string;
  trigger: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface EvaluationStatus {
  lastRun: EvalRunSummary | null;
  lastSucceeded: EvalRunSummary | null;
  /** The schedule's next fire time, ISO 8601 (UTC). */
  nextRun: string | null;
  schedule: { cron: string; timezone: string };
  note?: string;
}

/** When a cron expression fires next after now, in its time zone. */
export function nextFireTime(expression: string, timezone: string): Date | null {
  const task = cron.createTask(expression, () => {}, { timezone });
  try {
    return task.getNextRuns(1)[0] ?? null;
  } finally {
    void task.destroy();
  }
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

/** The last runs from eval_run, if the evaluator has created it (a warehouse that was never evaluated has no such table). */
export async function lastEvaluationRuns(
  connection: DuckDBConnection,
): Promise<Pick<EvaluationStatus, "lastRun" | "lastSucceeded" | "note">> {
  if (!(await tableExists(connection, "eval_run")))
    return { lastRun: null, lastSucceeded: null, note: "no evaluation has run yet (no eval_run table)" };
  try {
    const select =
      'SELECT run_id, period, status, "trigger", error, epoch_ms(started_at) AS started, epoch_ms(finished_at) AS finished FROM eval_run';
    const last = await rowsOf(connection, `${select} ORDER BY started_at DESC NULLS LAST LIMIT 1`);
    const ok = await rowsOf(
      connection,
      `${select} WHERE status = 'succeeded' ORDER BY finished_at DESC NULLS LAST LIMIT 1`,
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
