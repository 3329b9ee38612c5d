import { randomBytes } from "node:crypto";
import { runRecordIngestOnce, type RecordFeedRunStats, type RecordIngestOptions } from "../ingest/index.ts";
import type { Bus } from "../bus/index.ts";
import type { CommandContext } from "./context.ts";
import type { RecordSetup } from "./record-feeds.ts";
import { PSEUDONYM_KEY_ENV, PSEUDONYM_KEY_FILE_ENV } from "../runtime/pseudonym-key.ts";

/** Reads what waits in the record feeds' drop folders once (the pseudonymisation key from the environment). */
export function ingestRecordsOnce(
  ctx: CommandContext,
  bus: Bus,
  setup: RecordSetup,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<RecordFeedRunStats[]> {
  return runRecordIngestOnce(recordIngestOptions(ctx, bus, setup, env));
}

/** What record ingest needs from the command's context: once (run, ingest) or as a daemon (ingest --watch). */
export function recordIngestOptions(
  ctx: CommandContext,
  bus: Bus,
  setup: RecordSetup,
  env: Readonly<Record<string, string | undefined>>,
): RecordIngestOptions {
  return {
    specs: setup.specs,
    bus,
    topics: ctx.topics,
    catalog: ctx.catalog,
    dropRoot: ctx.paths.dropDir,
    stateDir: ctx.paths.stateDir,
    logger: ctx.logger,
    env,
    allowedRoots: ctx.config.ingest.allowedRoots,
  };
}

/**
 * The environment for `run --samples`: the pseudonymisation key set, or else a random key for this run only, so the
 * one-command demo needs no secret. It is never stored; a real deployment sets GONGFU_PSEUDONYM_KEY (or _FILE).
 */
export function sampleKeyEnv(ctx: CommandContext): Readonly<Record<string, string | undefined>> {
  if (process.env[PSEUDONYM_KEY_ENV] || process.env[PSEUDONYM_KEY_FILE_ENV]) return process.env;
  ctx.logger.warn(
    { variable: PSEUDONYM_KEY_ENV },
    "no pseudonymisation key set: the sample records are pseudonymised with a random key of this run only",
  );
  return { ...process.env, [PSEUDONYM_KEY_ENV]: randomBytes(32).toString("hex") };
}
