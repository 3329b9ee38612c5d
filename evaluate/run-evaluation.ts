// One evaluation run against the warehouse: resolve the as-of, skip if already done, compute, write atomically.
import type { DuckDBConnection } from "@duckdb/node-api";
import { parsePeriod } from "../schemas/index.ts";
import { ConfigError, DataError, PipelineError, errorMessage } from "../runtime/errors.ts";
import { silentLogger, type Logger } from "../runtime/logger.ts";
import { MathInputError } from "./math/index.ts";
import {
  configHash,
  EVALUATOR_VERSION,
  canonicalJson,
  resolveEvalConfig,
  runId,
  type EvalConfig,
  type EvalConfigInput,
} from "./eval-config.ts";
import { readCatalog } from "./inputs/read-catalog.ts";
import { latestVintage, stageInputs, type StagedInputs } from "./inputs/read-observations.ts";
import { windowPeriods } from "./inputs/window-periods.ts";
import { computeRun } from "./compute-run.ts";
import { ensureEvalTables, type TableLayout } from "./tables/index.ts";
import {
  findRun,
  markFailed,
  markRunning,
  markSucceeded,
  type AsOfSource,
  type RunIdentity,
  type RunTrigger,
} from "./run-record.ts";
import { writeResults } from "./write-results.ts";
import type { DerivedSummary } from "./derive.ts";
import type { EvalCatalog } from "./model.ts";

export interface EvaluationRequest {
  /** 2025, 2025Q3 or 2025-09 (other spellings such as 2025年9月 are accepted and canonicalised). */
  readonly period: string;
  /** Use only vintages published by this instant; default: the newest vintage published by now. */
  readonly asOf?: string;
  readonly asOfSource?: AsOfSource;
  readonly config?: EvalConfigInput;
  readonly trigger?: RunTrigger;
  /** Recompute and replace a run that already succeeded. */
  readonly force?: boolean;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

export interface EvaluationResult {
  readonly runId: string;
  readonly period: string;
  readonly asOf: string;
  readonly asOfSource: AsOfSource;
  readonly configHash: string;
  /** "unchanged" when the same run had already succeeded and nothing was recomputed. */
  readonly status: "succeeded" | "unchanged";
  readonly attempts: number;
  readonly inputRowCount: number;
  readonly regions: number;
  readonly derived: readonly DerivedSummary[];
  readonly timings: Readonly<Record<string, number>>;
}

function canonicalPeriod(input: string): string {
  const p = parsePeriod(input);
  if (!p.ok)
    throw new ConfigError(`--period: ${p.reason}`, {
      hint: "give a year (2025), a quarter (2025Q3) or a month (2025-09)",
    });
  return p.period;
}

/** ISO 8601 date or date-time; Date.parse alone takes nearly anything ("x' OR '1'='1" is 2001-01-01). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

export function canonicalInstant(input: string, what = "--as-of"): string {
  const ms = ISO_INSTANT.test(input.trim()) ? Date.parse(input.trim()) : Number.NaN;
  if (Number.isNaN(ms))
    throw new ConfigError(`${what}: not a date or timestamp: ${JSON.stringify(input)}`, {
      hint: "use ISO 8601, e.g. 2025-10-01T02:00:00+08:00",
    });
  return new Date(ms).toISOString();
}

async function identify(
  connection: DuckDBConnection,
  req: EvaluationRequest,
  config: EvalConfig,
  catalogHash: string,
  now: Date,
): Promise<RunIdentity> {
  const period = canonicalPeriod(req.period);
  const given = req.asOf === undefined ? null : canonicalInstant(req.asOf);
  const asOf =
    given ??
    (await latestVintage(connection, now.toISOString())) ??
    new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString();
  const hash = configHash(config);
  return {
    runId: runId(period, asOf, hash, catalogHash),
    period,
    asOf,
    asOfSource: given === null ? "latest_vintage" : (req.asOfSource ?? "given"),
    configHash: hash,
    catalogHash,
    evaluatorVersion: EVALUATOR_VERSION,
    configJson: canonicalJson(config),
    trigger: req.trigger ?? "manual",
  };
}

/**
 * Evaluates one period from obs_as_of(asOf) and writes eval_run and the result tables. The run id is a hash of
 * the period, the as-of instant, the configuration and the catalog: a run that already succeeded is not
 * recomputed (status "unchanged") unless `force` is set, and a recomputation replaces its rows.
 */
export async function runEvaluation(connection: DuckDBConnection, req: EvaluationRequest): Promise<EvaluationResult> {
  const log = (req.logger ?? silentLogger()).child({ stage: "evaluate" });
  const config = resolveEvalConfig(req.config);
  const t0 = performance.now();
  const layout = await ensureEvalTables(connection);
  const catalog = await readCatalog(connection);
  const id = await identify(connection, req, config, catalog.hash, (req.now ?? (() => new Date()))());
  const inputs = await stageInputs(
    connection,
    id.asOf,
    windowPeriods(id.period, config.staleness, config.imputation === "linear"),
  );
  try {
    return await evaluateStaged(connection, req, { id, config, catalog, layout, inputs, log, t0 });
  } finally {
    await inputs.drop();
  }
}

interface Staged {
  readonly id: RunIdentity;
  readonly config: EvalConfig;
  readonly catalog: EvalCatalog;
  readonly layout: TableLayout;
  readonly inputs: StagedInputs;
  readonly log: Logger;
  readonly t0: number;
}

async function evaluateStaged(
  connection: DuckDBConnection,
  req: EvaluationRequest,
  { id, config, catalog, layout, inputs, log, t0 }: Staged,
): Promise<EvaluationResult> {
  const now = req.now ?? (() => new Date());
  const fingerprint = await inputs.fingerprint();
  const existing = await findRun(connection, id.runId);
  if (existing?.status === "succeeded" && existing.inputsFingerprint !== fingerprint) {
    log.warn(
      { runId: id.runId, before: existing.inputsFingerprint, now: fingerprint },
      "inputs of a finished run changed under the same as-of (old vintages loaded late); recomputing",
    );
  } else if (existing?.status === "succeeded" && !req.force) {
    log.info({ runId: id.runId, period: id.period, asOf: id.asOf }, "run already succeeded; nothing recomputed");
    return {
      ...id,
      status: "unchanged",
      attempts: existing.attempts,
      inputRowCount: existing.inputRowCount ?? 0,
      regions: existing.regions ?? 0,
      derived: (existing.derived ?? []) as DerivedSummary[],
      timings: (existing.timings ?? {}) as Record<string, number>,
    };
  }
  const attempts = (existing?.attempts ?? 0) + 1;
  await markRunning(connection, id, attempts, now().toISOString());
  try {
    const t1 = performance.now();
    const observations = await inputs.read();
    const t2 = performance.now();
    const computed = computeRun(catalog, observations, id.period, config);
    const t3 = performance.now();
    const timings = {
      prepareMs: t1 - t0,
      readMs: t2 - t1,
      ...computed.timings,
      computeMs: t3 - t2,
      writeMs: 0,
      totalMs: 0,
    };
    const outcome = {
      inputRowCount: observations.length,
      inputsFingerprint: fingerprint,
      regions: computed.regions.length,
      derived: computed.derived,
      timings,
      finishedAt: "",
    };
    await writeResults(connection, id.runId, layout, computed, config, async () => {
      timings.writeMs = performance.now() - t3;
      timings.totalMs = performance.now() - t0;
      await markSucceeded(connection, id.runId, { ...outcome, finishedAt: now().toISOString() });
    });
    log.info(
      {
        runId: id.runId,
        period: id.period,
        asOf: id.asOf,
        regions: outcome.regions,
        inputs: outcome.inputRowCount,
        ms: Math.round(timings.totalMs),
      },
      "evaluation run succeeded",
    );
    return {
      ...id,
      status: "succeeded",
      attempts,
      inputRowCount: outcome.inputRowCount,
      regions: outcome.regions,
      derived: computed.derived,
      timings,
    };
  } catch (cause) {
    const err =
      cause instanceof PipelineError
        ? cause
        : cause instanceof MathInputError
          ? new DataError(`bad input data: ${cause.message}`, { cause })
          : new PipelineError(`evaluation of ${id.period} failed: ${errorMessage(cause)}`, { cause });
    // Recording the failure must not hide it: if the warehouse cannot take the update either, the log says so.
    await markFailed(connection, id.runId, err.message, now().toISOString()).catch((recordErr: unknown) =>
      log.error({ runId: id.runId, err: recordErr }, "could not record the failed run"),
    );
    log.error({ runId: id.runId, period: id.period, attempts, err }, "evaluation run failed");
    throw err;
  }
}
