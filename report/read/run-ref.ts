// Which run to show: one eval_run row, found by id or by period and settings.
import type { DuckDBConnection } from "@duckdb/node-api";
import { ConfigError } from "../../runtime/errors.ts";
import { settingsLine } from "../text/settings-line.ts";
import { countOf, readRows, type RowOf } from "./rows.ts";
import { WAREHOUSE } from "../../schemas/index.ts";

/** A run's settings as stored (eval_run.config): JSON, read by key. */
export type Settings = Readonly<Record<string, unknown>>;

/** What a run derived itself rather than read (eval_run.derived), one entry per indicator and region. */
export interface DerivedNote {
  readonly indicator: string;
  readonly region: string;
  readonly periods: readonly string[];
  readonly rule: string;
}

export interface RunRef {
  readonly runId: string;
  readonly period: string;
  readonly asOf: string;
  readonly asOfSource: string;
  readonly status: string;
  readonly configHash: string;
  readonly config: Settings;
  readonly inputRowCount: number | null;
  readonly regions: number | null;
  readonly derived: readonly DerivedNote[];
  readonly finishedAt: string | null;
}

const utc = (column: string, seconds: string) =>
  `strftime(${column} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:${seconds}Z') AS ${column}`;

const RUN_COLUMNS = [
  "run_id, period, config_hash",
  utc("as_of", "%S.%g"),
  "as_of_source, status, CAST(config AS VARCHAR) AS config, input_row_count, regions",
  "CAST(derived AS VARCHAR) AS derived",
  utc("finished_at", "%S.%g"),
].join(", ");

const RUN_ROW = {
  run_id: "text",
  period: "text",
  config_hash: "text",
  as_of: "text",
  as_of_source: "text",
  status: "text",
  config: "text",
  input_row_count: "bigint?",
  regions: "number?",
  derived: "text?",
  finished_at: "text?",
} as const;

function toRef(r: RowOf<typeof RUN_ROW>): RunRef {
  return {
    runId: r.run_id,
    period: r.period,
    asOf: r.as_of,
    asOfSource: r.as_of_source,
    status: r.status,
    configHash: r.config_hash,
    config: JSON.parse(r.config) as Settings,
    inputRowCount: countOf(r.input_row_count),
    regions: r.regions,
    derived: r.derived === null ? [] : (JSON.parse(r.derived) as DerivedNote[]),
    finishedAt: r.finished_at,
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
  const rows = await readRows(
    connection,
    WAREHOUSE.evalRun,
    { run_id: "text", as_of: "text", config: "text" },
    `SELECT run_id, ${utc("as_of", "%S")}, CAST(config AS VARCHAR) AS config
     FROM ${WAREHOUSE.evalRun} WHERE period = $1 AND status = 'succeeded' ORDER BY as_of DESC, finished_at DESC, run_id LIMIT 10`,
    [period],
  );
  if (rows.length === 0) return "";
  const lines = rows.map((r) => `  ${r.run_id} as of ${r.as_of}: ${settingsLine(JSON.parse(r.config) as Settings)}`);
  return `\nsuccessful runs of ${period}:\n${lines.join("\n")}`;
}

/**
 * The run to show: the given id, or the successful run of the period made with the given settings (newest as-of,
 * unless one is given). Without `configHash`, the latest successful run of the period.
 */
export async function findRunRef(connection: DuckDBConnection, options: RunQuery): Promise<RunRef> {
  const tables = await readRows(
    connection,
    "duckdb_tables()",
    { n: "bigint" },
    `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = '${WAREHOUSE.evalRun}' AND schema_name = 'main'`,
  );
  if (Number(tables[0]?.n ?? 0) === 0)
    throw new ConfigError("the warehouse has no evaluation runs yet", {
      hint: "run gongfu evaluate --period <period> first",
    });
  if (options.runId) {
    const sql = `SELECT ${RUN_COLUMNS} FROM ${WAREHOUSE.evalRun} WHERE run_id = $1`;
    const [r] = await readRows(connection, WAREHOUSE.evalRun, RUN_ROW, sql, [options.runId]);
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
  const [r] = await readRows(
    connection,
    WAREHOUSE.evalRun,
    RUN_ROW,
    `SELECT ${RUN_COLUMNS} FROM ${WAREHOUSE.evalRun} WHERE ${where.join(" AND ")}
     ORDER BY as_of DESC, finished_at DESC, run_id LIMIT 1`,
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
