// The eval_run row: created as running, finished as succeeded (with the results) or failed (with the reason).
import type { DuckDBConnection } from "@duckdb/node-api";
import { WAREHOUSE } from "../schemas/index.ts";

export type RunStatus = "running" | "succeeded" | "failed";
export type RunTrigger = "manual" | "schedule" | "catch_up" | "bench";
export type AsOfSource = "given" | "latest_vintage" | "schedule";

export interface RunIdentity {
  readonly runId: string;
  readonly period: string;
  readonly asOf: string;
  readonly asOfSource: AsOfSource;
  readonly configHash: string;
  readonly catalogHash: string;
  readonly evaluatorVersion: string;
  readonly configJson: string;
  readonly trigger: RunTrigger;
}

export interface StoredRun {
  readonly runId: string;
  readonly period: string;
  readonly asOf: string;
  readonly status: RunStatus;
  readonly attempts: number;
  readonly inputRowCount: number | null;
  readonly inputsFingerprint: string | null;
  readonly regions: number | null;
  readonly derived: unknown;
  readonly error: string | null;
  readonly configHash: string;
  readonly timings: unknown;
}

const iso = (ms: unknown): string => new Date(Number(ms)).toISOString();
const json = (v: unknown): unknown => (v === null || v === undefined ? null : JSON.parse(String(v)));

export async function findRun(connection: DuckDBConnection, runId: string): Promise<StoredRun | null> {
  const rows = (
    await connection.runAndReadAll(
      `SELECT run_id, period, epoch_ms(as_of) AS as_of_ms, status, attempts, input_row_count, inputs_fingerprint,
       regions, CAST(derived AS VARCHAR) AS derived, error, config_hash, CAST(timings AS VARCHAR) AS timings
     FROM ${WAREHOUSE.evalRun} WHERE run_id = $1`,
      [runId],
    )
  ).getRowObjects();
  const r = rows[0];
  if (!r) return null;
  return {
    runId: String(r["run_id"]),
    period: String(r["period"]),
    asOf: iso(r["as_of_ms"]),
    status: String(r["status"]) as RunStatus,
    attempts: Number(r["attempts"]),
    inputRowCount: r["input_row_count"] === null ? null : Number(r["input_row_count"]),
    inputsFingerprint: r["inputs_fingerprint"] === null ? null : String(r["inputs_fingerprint"]),
    regions: r["regions"] === null ? null : Number(r["regions"]),
    derived: json(r["derived"]),
    error: r["error"] === null ? null : String(r["error"]),
    configHash: String(r["config_hash"]),
    timings: json(r["timings"]),
  };
}

/** Inserts or resets the row of a run that is starting; attempts counts every start of the same run id. */
export async function markRunning(
  connection: DuckDBConnection,
  id: RunIdentity,
  attempts: number,
  startedAt: string,
): Promise<void> {
  await connection.run(
    `INSERT OR REPLACE INTO ${WAREHOUSE.evalRun} (run_id, period, as_of, as_of_source, config_hash, catalog_hash,
       evaluator_version, config, trigger, status, attempts, started_at)
     VALUES ($1, $2, CAST($3 AS TIMESTAMPTZ), $4, $5, $6, $7, CAST($8 AS JSON), $9, 'running', $10, CAST($11 AS TIMESTAMPTZ))`,
    [
      id.runId,
      id.period,
      id.asOf,
      id.asOfSource,
      id.configHash,
      id.catalogHash,
      id.evaluatorVersion,
      id.configJson,
      id.trigger,
      attempts,
      startedAt,
    ],
  );
}

export interface RunOutcome {
  readonly inputRowCount: number;
  readonly inputsFingerprint: string;
  readonly regions: number;
  readonly derived: unknown;
  readonly timings: unknown;
  readonly finishedAt: string;
}

export async function markSucceeded(connection: DuckDBConnection, runId: string, o: RunOutcome): Promise<void> {
  await connection.run(
    `UPDATE ${WAREHOUSE.evalRun} SET status = 'succeeded', error = NULL, input_row_count = $2, regions = $3, derived = CAST($4 AS JSON),
       timings = CAST($5 AS JSON), finished_at = CAST($6 AS TIMESTAMPTZ), inputs_fingerprint = $7 WHERE run_id = $1`,
    [
      runId,
      o.inputRowCount,
      o.regions,
      JSON.stringify(o.derived),
      JSON.stringify(o.timings),
      o.finishedAt,
      o.inputsFingerprint,
    ],
  );
}

export async function markFailed(
  connection: DuckDBConnection,
  runId: string,
  error: string,
  finishedAt: string,
): Promise<void> {
  await connection.run(
    `UPDATE ${WAREHOUSE.evalRun} SET status = 'failed', error = $2, finished_at = CAST($3 AS TIMESTAMPTZ) WHERE run_id = $1`,
    [runId, error, finishedAt],
  );
}

/** Whether a period already has a successful run with this configuration (any as-of); false before the first run. */
export async function hasSucceededRun(
  connection: DuckDBConnection,
  period: string,
  configHash: string,
): Promise<boolean> {
  const exists = (
    await connection.runAndReadAll(
      `SELECT count(*) FROM duckdb_tables() WHERE table_name = '${WAREHOUSE.evalRun}' ` +
        `AND schema_name = 'main' AND database_name = current_database()`,
    )
  ).getRows();
  if (Number(exists[0]?.[0] ?? 0) === 0) return false;
  const rows = (
    await connection.runAndReadAll(
      `SELECT count(*) AS n FROM ${WAREHOUSE.evalRun} WHERE period = $1 AND config_hash = $2 AND status = 'succeeded'`,
      [period, configHash],
    )
  ).getRows();
  return Number(rows[0]?.[0] ?? 0) > 0;
}
