import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "./errors.ts";

/** Everything a gongfu process can be told. Defaults sit beside their fields; secrets only come from the environment. */
export const Config = z
  .object({
    dataDir: z.string().default("data"),
    /** The DuckDB warehouse file; default <dataDir>/gongfu.duckdb. */
    warehouse: z.string().optional(),
    /** The drop root under which each file-drop feed has its folder; default <dataDir>/inbox. */
    dropDir: z.string().optional(),
    feedsDir: z.string().default("feeds"),
    topicPrefix: z.string().regex(/^[a-zA-Z0-9._-]+$/).default("gongfu"),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    kafka: z
      .object({
        brokers: z.array(z.string()).default([]),
        clientId: z.string().default("gongfu"),
        ssl: z.boolean().default(false),
        partitions: z.int().positive().default(3),
        instanceId: z.string().optional(),
      })
      .strict()
      .default({ brokers: [], clientId: "gongfu", ssl: false, partitions: 3 }),
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

/** Environment variables that override the file, by config path. */
const ENV: Array<[string, (c: Record<string, unknown>, v: string) => void]> = [
  ["GONGFU_DATA_DIR", (c, v) => (c["dataDir"] = v)],
  ["GONGFU_WAREHOUSE", (c, v) => (c["warehouse"] = v)],
  ["GONGFU_DROP_DIR", (c, v) => (c["dropDir"] = v)],
  ["GONGFU_FEEDS_DIR", (c, v) => (c["feedsDir"] = v)],
  ["GONGFU_TOPIC_PREFIX", (c, v) => (c["topicPrefix"] = v)],
  ["GONGFU_LOG_LEVEL", (c, v) => (c["logLevel"] = v)],
  ["KAFKA_BROKERS", (c, v) => (kafkaOf(c)["brokers"] = v.split(",").map((b) => b.trim()).filter(Boolean))],
  ["GONGFU_INSTANCE_ID", (c, v) => (kafkaOf(c)["instanceId"] = v)],
];

function kafkaOf(c: Record<string, unknown>): Record<string, unknown> {
  const k = (c["kafka"] ?? {}) as Record<string, unknown>;
  c["kafka"] = k;
  return k;
}

/** Reads gongfu.config.yaml (if present), applies the environment, validates; a bad setting fails at start with where it is. */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env["GONGFU_CONFIG"] ?? resolve(options.cwd ?? process.cwd(), "gongfu.config.yaml");
  let raw: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      raw = (parseYaml(readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
    } catch (cause) {
      throw new ConfigError(`${file}: not valid YAML`, { cause });
    }
  } else if (options.file) throw new ConfigError(`config file ${file} does not exist`);
  for (const [name, apply] of ENV) {
    const v = env[name];
    if (v !== undefined && v !== "") apply(raw, v);
  }
  const result = Config.safeParse(raw);
  if (!result.success) throw new ConfigError(`invalid configuration (${file} and GONGFU_* variables):\n${z.prettifyError(result.error)}`);
  return Object.freeze(result.data);
}
