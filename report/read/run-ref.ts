// Which run to show: one eval_run row, found by id or by period and settings; and rows as plain JSON-safe objects.
import type { DuckDBConnection } from "@duckdb/node-api";
import { ConfigError } from "../../runtime/errors.ts";
import { settingsLine } from "../text/settings-line.ts";

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
  readonly configHash: string;
  readonly config: Rec;
  readonly inputRowCount: number | null;
  readonly regions: number | null;
  readonly derived: readonly Rec[];
  readonly finishedAt: string | null;
}

const RUN_COLUMNS = `run_id, period, config_hash, strftime(as_of AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS as_of, as_of_source, status,
  CAST(config AS VARCHAR) AS config, input_row_count, regions, CAST(derived AS VARCHAR) AS derived,
  strftime(finished_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS finished_at`;

function toRef(r: Rec): RunRef {
  return {
    runId: String(r["run_id"]),
    period: String(r["period"]),
    asOf: String(r["as_of"]),
    asOfSource: String(r["as_of_source"]),
    status: String(r["status"]),
    configHash: String(r["config_hash"]),
    config: JSON.parse(String(r["config"])) as Rec,
    inputRowCount: num(r["input_row_count"]),
    regions: num(r["regions"]),
    derived: r["derived"] === null ? [] : (JSON.parse(String(r["derived"])) as Rec[]),
    finishedAt: str(r["finished_at"]),
  };
}

export interface RunQuery {
  readonly period?: string;
  readonly runId?: string;
  /** Only runs made with exactly these settings (eval_run.config_hash). */
  readonly configHash?: string;
  /** Only the run as of this instant (canonical ISO 8601); default the newest as-of. */
  readonly asOf?: string;
  /** How the settings were given, for the error message: "the defaults" or "these settings: …". */
  readonly settings?: string;
}

async function otherRuns(connection: DuckDBConnection, period: string): Promise<string> {
  const rows = await query(
    connection,
    `SELECT run_id, strftime(as_of AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS as_of, CAST(config AS VARCHAR) AS config
     FROM eval_run WHERE period = $1 AND status = 'succeeded' ORDER BY as_of DESC, finished_at DESC, run_id LIMIT 10`,
    [period],
  );
  if (rows.length === 0) return "";
  const lines = rows.map((r) => {
    const c = JSON.parse(String(r["config"])) as Rec;
    return `  ${String(r["run_id"])} as of ${String(r["as_of"])}: ${settingsLine(c)}`;
  });
  return `\nsuccessful runs of ${period}:\n${lines.join("\n")}`;
}

/**
 * The run to show: the given id, or the successful run of the period made with the given settings (newest as-of,
 * unless one is given). Without `configHash`, the latest successful run of the period.
 */
export async function findRunRef(connection: DuckDBConnection, options: RunQuery): Promise<RunRef> {
  const tables = await query(
    connection,
    "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'eval_run' AND schema_name = 'main'",
  );
  if (Number(tables[0]?.["n"] ?? 0) === 0)
    throw new ConfigError("the warehouse has no evaluation runs yet", {
      hint: "run gongfu evaluate --period <period> first",
    });
  if (options.runId) {
    const [r] = await query(connection, `SELECT ${RUN_COLUMNS} FROM eval_run WHERE run_id = $1`, [options.runId]);
    if (!r) throw new ConfigError(`there is no run ${options.runId} in the warehouse`);
    return toRef(r);
  }
  const period = options.period ?? "";
  const params: string[] = [period];
  const where = ["period = $1", "status = 'succeeded'"];
  if (options.configHash !== undefined) {
    params.push(options.configHash);
    where.push(`config_hash = $${params.length}`);
  }
  if (options.asOf !== undefined) {
    params.push(options.asOf);
    where.push(`as_of = CAST($${params.length} AS TIMESTAMPTZ)`);
  }
  const [r] = await query(
    connection,
    `SELECT ${RUN_COLUMNS} FROM eval_run WHERE ${where.join(" AND ")} ORDER BY as_of DESC, finished_at DESC, run_id LIMIT 1`,
    params,
  );
  if (!r) {
    const made = options.settings ? ` made with ${options.settings}` : "";
    const when = options.asOf ? ` as of ${options.asOf}` : "";
    throw new ConfigError(
      `there is no successful run for period ${period}${made}${when}${await otherRuns(connection, period)}`,
      {
        hint: `run gongfu evaluate --period ${period || "<period>"} with the same settings, or pass --run <id>`,
      },
    );
  }
  return toRef(r);
}
