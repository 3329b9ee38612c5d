import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import cron from "node-cron";
import { ConfigError, errorMessage } from "./errors.ts";
import { readConfigSource, type ConfigSource } from "./config-file.ts";
import { applyEnv, deprecatedEnv } from "./config-env.ts";
import { applyRenamedKeys, type Deprecation } from "./config-aliases.ts";
import { EVAL_DEFAULTS, EvalConfig } from "./config-evaluate.ts";

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** SASL credentials; the password comes from KAFKA_SASL_PASSWORD or a file, never from gongfu.config.yaml. */
export const SaslConfig = z
  .object({
    mechanism: z.enum(["plain", "scram-sha-256", "scram-sha-512"]),
    username: z.string().min(1),
    password: z.string().min(1).optional(),
    /** A file holding the password (a mounted secret); read once at start. */
    passwordFile: z.string().min(1).optional(),
  })
  .strict();
export type SaslConfig = z.infer<typeof SaslConfig>;

const KAFKA_DEFAULTS = { brokers: [], clientId: "gongfu", ssl: false, partitions: 3 };
const METRICS_DEFAULTS = { port: 9464, host: "0.0.0.0" };
const SCHEDULE_DEFAULTS = { cron: "0 2 1 * *", timezone: "Asia/Shanghai" };
// The loader buffers deliveries and merges one DuckDB row group (122,880 rows) at a time: a transaction that appends
// at least a row group is written straight into the file, not through the WAL; a pause in deliveries merges sooner.
// Two row groups per merge let DuckDB insert on both cores (a merge of two took about the wall time of one), but the
// parallel insert ends each merge with a 4,096-row row group, which the next checkpoint rewrites into its
// neighbours: 1.5 s at close after 10^6 rows, which the faster merges had saved. One group per merge leaves none.
export const LOAD_DEFAULTS = { mergeRows: 122_880, parquetIntervalMs: 5000, lake: true };
// A slow upload (SFTP over a poor link, a share that stalls) can pause for tens of seconds mid-file.
const INGEST_DEFAULTS = { settleSeconds: 60, allowedRoots: [] };

/** Ingest from drop folders: when a file counts as complete, and where absolute `connector.path`s may point. */
export const IngestConfig = z
  .object({
    /** A dropped file is read once it has gone this long without a write (a feed's `connector.settleSeconds` wins). */
    settleSeconds: z.int().min(0).default(INGEST_DEFAULTS.settleSeconds),
    /** Folders outside the drop root that a feed's absolute `connector.path` may lie under; none by default. */
    allowedRoots: z.array(z.string().min(1)).default(INGEST_DEFAULTS.allowedRoots),
  })
  .strict();
export type IngestConfig = z.infer<typeof IngestConfig>;

/** The loader: rows per warehouse transaction, the Parquet lake and bi.duckdb (docs/WAREHOUSE.md). */
export const LoadConfig = z
  .object({
    /** Rows the loader buffers before it merges them in one warehouse transaction (formerly `maxBatch`). */
    mergeRows: z.int().positive().default(LOAD_DEFAULTS.mergeRows),
    /** How often changed tables are exported to <dataDir>/lake; 0 exports after every batch. */
    parquetIntervalMs: z.int().min(0).default(LOAD_DEFAULTS.parquetIntervalMs),
    /** Keep the Parquet lake and bi.duckdb at all. */
    lake: z.boolean().default(LOAD_DEFAULTS.lake),
    /** How long Kafka waits for a silent loader before its restart may take the partitions (broker minimum 6000). */
    sessionTimeoutMs: z.int().min(6000).optional(),
    /** How bi.duckdb's views name the lake folder: default its absolute path; e.g. `lake` for paths relative to where the BI tool runs. */
    biLakePath: z.string().min(1).optional(),
  })
  .strict();
export type LoadConfig = z.infer<typeof LoadConfig>;

/** Everything a gongfu process can be told. Defaults sit beside their fields; secrets only come from the environment. */
export const Config = z
  .object({
    dataDir: z.string().default("data"),
    /** The DuckDB warehouse file; default <dataDir>/gongfu.duckdb. */
    warehouse: z.string().optional(),
    /** The drop root under which each file-drop feed has its folder; default <dataDir>/inbox. */
    dropDir: z.string().optional(),
    feedsDir: z.string().default("feeds"),
    topicPrefix: z
      .string()
      .regex(/^[a-zA-Z0-9._-]+$/, "letters, digits, '.', '_' and '-' only")
      .default("gongfu"),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Extra log paths to blank out, in pino's redact syntax (e.g. `*.apiKey`), on top of the built-in ones. */
    logRedact: z.array(z.string().min(1)).default([]),
    kafka: z
      .object({
        brokers: z.array(z.string().regex(/^[^\s:,]+:\d{1,5}$/, "a broker is host:port")).default([]),
        clientId: z.string().min(1).default("gongfu"),
        ssl: z.boolean().default(false),
        sasl: SaslConfig.optional(),
        partitions: z.int().positive().default(3),
        instanceId: z.string().min(1).optional(),
      })
      .strict()
      .default(KAFKA_DEFAULTS),
    /** The Prometheus endpoint of long-running processes (`/metrics`, `/healthz`, `/readyz`). */
    metrics: z
      .object({
        port: z.int().min(0).max(65535).default(METRICS_DEFAULTS.port),
        host: z.string().min(1).default(METRICS_DEFAULTS.host),
      })
      .strict()
      .default(METRICS_DEFAULTS),
    /** When `gongfu schedule` evaluates: a cron expression in the given time zone. */
    schedule: z
      .object({
        cron: z
          .string()
          .refine((c) => cron.validate(c), "not a valid cron expression (minute hour day-of-month month day-of-week)")
          .default(SCHEDULE_DEFAULTS.cron),
        timezone: z
          .string()
          .refine(isTimeZone, "not an IANA time zone such as Asia/Shanghai")
          .default(SCHEDULE_DEFAULTS.timezone),
      })
      .strict()
      .default(SCHEDULE_DEFAULTS),
    load: LoadConfig.default(LOAD_DEFAULTS),
    ingest: IngestConfig.default(INGEST_DEFAULTS),
    /** Evaluation settings (method, weights, aggregation, coverage, staleness windows, sensitivity): docs/METHOD.md. */
    evaluate: EvalConfig.default(EVAL_DEFAULTS),
  })
  .strict();
export type Config = z.infer<typeof Config>;

export interface ResolvedPaths {
  dataDir: string;
  warehouse: string;
  dropDir: string;
  stateDir: string;
  feedsDir: string;
}

export function resolvePaths(config: Config, cwd = process.cwd()): ResolvedPaths {
  const dataDir = resolve(cwd, config.dataDir);
  return {
    dataDir,
    warehouse: resolve(cwd, config.warehouse ?? resolve(dataDir, "gongfu.duckdb")),
    dropDir: resolve(cwd, config.dropDir ?? resolve(dataDir, "inbox")),
    stateDir: resolve(dataDir, "state"),
    feedsDir: resolve(cwd, config.feedsDir),
  };
}

export interface LoadedConfig {
  config: Config;
  /** The file read (it may not exist: then only defaults and the environment apply). */
  file: string;
  fileExists: boolean;
  /** Which environment variable set which setting, by dotted path. */
  fromEnv: ReadonlyMap<string, string>;
  /** Old names of renamed settings that were used (file keys and environment variables), to warn about. */
  deprecations: readonly Deprecation[];
}

/** Reads gongfu.config.yaml (if present), applies the environment, validates; a bad setting fails at start with where it is. */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Config {
  return loadConfigWithOrigin(options).config;
}

export function loadConfigWithOrigin(
  options: { file?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const named = options.file ?? (env["GONGFU_CONFIG"] || undefined);
  const file = resolve(cwd, named ?? "gongfu.config.yaml");
  const source = readConfigSource(file);
  if (!source.exists && named !== undefined) {
    throw new ConfigError(`config file ${file} does not exist`, {
      hint: "check --config / GONGFU_CONFIG, or copy gongfu.config.example.yaml",
    });
  }
  const sasl = (source.raw["kafka"] as { sasl?: Record<string, unknown> } | undefined)?.sasl;
  if (sasl && typeof sasl === "object" && "password" in sasl) {
    throw new ConfigError(
      `${file}:${source.lineOf(["kafka", "sasl", "password"])}: kafka.sasl.password: secrets do not belong in the configuration file`,
      { hint: "set KAFKA_SASL_PASSWORD or kafka.sasl.passwordFile instead" },
    );
  }
  const renamed = applyRenamedKeys(source.raw);
  const fromEnv = applyEnv(source.raw, env);
  const deprecations = [...renamed.deprecations, ...deprecatedEnv(env)];
  const result = Config.safeParse(source.raw);
  if (!result.success)
    throw new ConfigError(describeIssues(result.error, source, fromEnv, renamed.oldPathOf), {
      hint: "gongfu.config.example.yaml documents every setting",
    });
  const config = withSaslPassword(result.data, source, fromEnv, cwd);
  return { config: deepFreeze(config), file, fileExists: source.exists, fromEnv, deprecations };
}

function withSaslPassword(
  config: Config,
  source: ConfigSource,
  fromEnv: ReadonlyMap<string, string>,
  cwd: string,
): Config {
  const sasl = config.kafka.sasl;
  if (!sasl || sasl.password !== undefined) return config;
  const where =
    fromEnv.get("kafka.sasl") ??
    fromEnv.get("kafka.sasl.mechanism") ??
    `${source.file}:${source.lineOf(["kafka", "sasl"])}`;
  if (sasl.passwordFile === undefined) {
    throw new ConfigError(`${where}: kafka.sasl: SASL needs a password`, {
      hint: "set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE",
    });
  }
  const path = resolve(cwd, sasl.passwordFile);
  let password: string;
  try {
    password = readFileSync(path, "utf8").trim();
  } catch (cause) {
    throw new ConfigError(`kafka.sasl.passwordFile ${path}: cannot read it (${errorMessage(cause)})`, {
      hint: "mount the secret file or fix the path",
    });
  }
  if (password === "") throw new ConfigError(`kafka.sasl.passwordFile ${path}: the file is empty`);
  return { ...config, kafka: { ...config.kafka, sasl: { ...sasl, password } } };
}

/**
 * One line per problem: `file:line: path: message`, or the environment variable that set it. A setting the file
 * gives under its old name (`oldPathOf`, by new dotted path) is reported under that name.
 */
function describeIssues(
  error: z.ZodError,
  source: ConfigSource,
  fromEnv: ReadonlyMap<string, string>,
  oldPathOf: ReadonlyMap<string, readonly string[]>,
): string {
  const lines = error.issues.map((issue) => {
    const given = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : issue.path;
    const givenPath = given.map(String).join(".") || "(root)";
    const message = issue.code === "unrecognized_keys" ? `unknown setting (${issue.keys.join(", ")})` : issue.message;
    const envName = fromEnv.get(givenPath);
    if (envName) return `${envName} (environment): ${givenPath}: ${message}`;
    const keys = oldPathOf.get(givenPath) ?? given;
    const path = keys.map(String).join(".") || "(root)";
    return source.exists ? `${source.file}:${source.lineOf(keys)}: ${path}: ${message}` : `${path}: ${message}`;
  });
  return `invalid configuration: ${lines.join("\n  ")}`;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
