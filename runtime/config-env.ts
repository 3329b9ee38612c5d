import type { Deprecation } from "./config-aliases.ts";

/** One environment variable that overrides a configuration setting. */
interface EnvOverride {
  name: string;
  path: readonly string[];
  parse?: (v: string) => unknown;
  secret?: boolean;
  /** An old name kept working: the variable to use instead (listed after it, so the new one wins when both are set). */
  deprecatedFor?: string;
}

const list = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
/** "true"/"false"/"1"/"0"/"yes"/"no"; anything else is handed on so validation names the variable. */
const bool = (v: string): unknown =>
  ({ true: true, "1": true, yes: true, false: false, "0": false, no: false })[v.trim().toLowerCase()] ?? v;
const int = (v: string): unknown => (/^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v);

/** Every variable gongfu reads, by the setting it overrides. Documented in docs/OPERATIONS.md. */
export const ENV_OVERRIDES: readonly EnvOverride[] = [
  { name: "GONGFU_DATA_DIR", path: ["dataDir"] },
  { name: "GONGFU_WAREHOUSE", path: ["warehouse"] },
  { name: "GONGFU_DROP_DIR", path: ["dropDir"] },
  { name: "GONGFU_FEEDS_DIR", path: ["feedsDir"] },
  { name: "GONGFU_TOPIC_PREFIX", path: ["topicPrefix"] },
  { name: "GONGFU_LOG_LEVEL", path: ["logLevel"] },
  { name: "GONGFU_LOG_REDACT", path: ["logRedact"], parse: list },
  { name: "KAFKA_BROKERS", path: ["kafka", "brokers"], parse: list },
  { name: "GONGFU_KAFKA_CLIENT_ID", path: ["kafka", "clientId"] },
  { name: "GONGFU_KAFKA_PARTITIONS", path: ["kafka", "partitions"], parse: int },
  { name: "GONGFU_INSTANCE_ID", path: ["kafka", "instanceId"] },
  { name: "KAFKA_SSL", path: ["kafka", "ssl"], parse: bool },
  { name: "KAFKA_SASL_MECHANISM", path: ["kafka", "sasl", "mechanism"], parse: (v) => v.trim().toLowerCase() },
  { name: "KAFKA_SASL_USERNAME", path: ["kafka", "sasl", "username"] },
  { name: "KAFKA_SASL_PASSWORD", path: ["kafka", "sasl", "password"], secret: true },
  { name: "KAFKA_SASL_PASSWORD_FILE", path: ["kafka", "sasl", "passwordFile"] },
  { name: "GONGFU_METRICS_PORT", path: ["metrics", "port"], parse: int },
  { name: "GONGFU_METRICS_HOST", path: ["metrics", "host"] },
  { name: "GONGFU_SCHEDULE_CRON", path: ["schedule", "cron"] },
  { name: "GONGFU_SCHEDULE_TIMEZONE", path: ["schedule", "timezone"] },
  { name: "GONGFU_LOAD_MAX_BATCH", path: ["load", "mergeRows"], parse: int, deprecatedFor: "GONGFU_LOAD_MERGE_ROWS" },
  { name: "GONGFU_LOAD_MERGE_ROWS", path: ["load", "mergeRows"], parse: int },
  { name: "GONGFU_PARQUET_INTERVAL_MS", path: ["load", "parquetIntervalMs"], parse: int },
  { name: "GONGFU_LAKE", path: ["load", "lake"], parse: bool },
  { name: "GONGFU_LOAD_SESSION_TIMEOUT_MS", path: ["load", "sessionTimeoutMs"], parse: int },
  { name: "GONGFU_BI_LAKE_PATH", path: ["load", "biLakePath"] },
  { name: "GONGFU_SETTLE_SECONDS", path: ["ingest", "settleSeconds"], parse: int },
  { name: "GONGFU_ALLOWED_ROOTS", path: ["ingest", "allowedRoots"], parse: list },
];

/** The deprecated variables that are set, and whether the new one, set too, overrides them. */
export function deprecatedEnv(env: NodeJS.ProcessEnv): Deprecation[] {
  const set = (name: string) => env[name] !== undefined && env[name] !== "";
  return ENV_OVERRIDES.flatMap((o) =>
    o.deprecatedFor !== undefined && set(o.name)
      ? [{ old: o.name, now: o.deprecatedFor, ignored: set(o.deprecatedFor) }]
      : [],
  );
}

/** Applies the set variables onto `raw` (mutated) and returns, by dotted path, which variable set what. */
export function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Map<string, string> {
  const origin = new Map<string, string>();
  for (const o of ENV_OVERRIDES) {
    const v = env[o.name];
    if (v === undefined || v === "") continue;
    let node = raw;
    for (const key of o.path.slice(0, -1)) {
      const next = node[key];
      node[key] = next !== null && typeof next === "object" && !Array.isArray(next) ? next : {};
      node = node[key] as Record<string, unknown>;
    }
    node[o.path[o.path.length - 1]!] = o.parse ? o.parse(v) : v;
    origin.set(o.path.join("."), o.name);
  }
  return origin;
}
