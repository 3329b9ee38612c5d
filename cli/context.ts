import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { createEmbeddedBus, createKafkaBus, KafkaSettings } from "../bus/index.ts";
import {
  CatalogError,
  defaultCatalog,
  readFeedSpecs,
  withIndicatorOverlay,
  topicNames,
  type Catalog,
  type FeedSpec,
  type TopicNames,
} from "../schemas/index.ts";
import { loadConfigWithOrigin, resolvePaths, type Config, type ResolvedPaths } from "../runtime/config.ts";
import { createLogger, type Logger } from "../runtime/logger.ts";
import { createMetrics, type Metrics } from "../runtime/metrics.ts";
import { ConfigError } from "../runtime/errors.ts";
import { meterBus, type MeteredBus } from "./metered-bus.ts";

/** Options every command accepts. */
export interface GlobalOptions {
  config?: string;
  kafka?: string | boolean;
  data?: string;
  feeds?: string;
  topicPrefix?: string;
  verbose?: boolean;
  /** `--metrics-port <port>`; 0 picks a free port. */
  metricsPort?: string;
  /** false with `--no-metrics`. */
  metrics?: boolean;
}

/** What a command works with: configuration, paths, the logger, the catalog and the feed specs. */
export interface CommandContext {
  config: Config;
  /** The configuration file read (it may not exist) and which settings came from the environment. */
  configFile: { path: string; exists: boolean; fromEnv: ReadonlyMap<string, string> };
  paths: ResolvedPaths;
  logger: Logger;
  topics: TopicNames;
  catalog: Catalog;
  specs: FeedSpec[];
  /** Brokers when running on Kafka; undefined in embedded mode. */
  brokers: string[] | undefined;
  /** The process's metrics; every bus made by `createBus` counts into them. */
  readonly metrics: Metrics;
  /** Connection settings (SSL, SASL included) when running on Kafka. */
  kafkaSettings(): KafkaSettings | undefined;
  /** The metrics port to serve on, if any: `--metrics-port`, else the configured port for daemons; never with `--no-metrics`. */
  metricsPort(daemon: boolean): number | undefined;
  createBus(): MeteredBus;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new ConfigError(`--metrics-port ${text}: not a port number`, { hint: "use 0-65535 (0 picks a free port)" });
  return port;
}

/** The shipped catalog plus the indicators a deployment adds beside its feeds (feeds/indicators.csv). */
function readCatalog(feedsDir: string): Catalog {
  try {
    return withIndicatorOverlay(defaultCatalog(), feedsDir);
  } catch (err) {
    if (!(err instanceof CatalogError)) throw err;
    throw new ConfigError(`indicator overlay ${err.message}`, {
      hint: "fix that row; columns: code,name_zh,name_en,dimension,unit,direction,frequency,source",
    });
  }
}

function readSpecs(dir: string, allowedRoots: readonly string[]): FeedSpec[] {
  if (!existsSync(dir))
    throw new ConfigError(`feed spec folder ${dir} does not exist`, {
      hint: "pass --feeds <dir> or set feedsDir / GONGFU_FEEDS_DIR",
    });
  return readFeedSpecs(dir, { catalog: defaultCatalog(), allowedRoots });
}

/** Feed specs are read at start, so a broken spec fails a command before it does anything; `config` reads them lazily. */
export function createContext(options: GlobalOptions, settings: { lazySpecs?: boolean } = {}): CommandContext {
  const loaded = loadConfigWithOrigin(options.config === undefined ? {} : { file: options.config });
  const config: Config = {
    ...loaded.config,
    ...(options.data ? { dataDir: options.data } : {}),
    ...(options.feeds ? { feedsDir: options.feeds } : {}),
    ...(options.topicPrefix ? { topicPrefix: options.topicPrefix } : {}),
  };
  const paths = resolvePaths(config);
  const logger = createLogger({ level: options.verbose ? "debug" : config.logLevel, redact: config.logRedact });
  // Renamed settings keep working, so an older configuration file runs; the warning names what to write instead.
  for (const d of loaded.deprecations)
    logger.warn({ setting: d.old, use: d.now, ignored: d.ignored }, "deprecated setting name");
  const brokers =
    typeof options.kafka === "string"
      ? options.kafka
          .split(",")
          .map((b) => b.trim())
          .filter(Boolean)
      : options.kafka === true || config.kafka.brokers.length > 0
        ? config.kafka.brokers
        : undefined;
  if (brokers !== undefined && brokers.length === 0)
    throw new ConfigError("--kafka needs broker addresses (host:port[,host:port]) or KAFKA_BROKERS", {
      hint: "e.g. --kafka 127.0.0.1:9092",
    });
  const explicitPort = options.metricsPort === undefined ? undefined : parsePort(options.metricsPort);
  const topics = topicNames(config.topicPrefix);
  let metrics: Metrics | undefined;
  const getMetrics = (): Metrics => (metrics ??= createMetrics());
  let specs: FeedSpec[] | undefined = settings.lazySpecs
    ? undefined
    : readSpecs(paths.feedsDir, config.ingest.allowedRoots);

  const kafkaSettings = (): KafkaSettings | undefined => {
    if (!brokers) return undefined;
    const sasl = config.kafka.sasl;
    return KafkaSettings.parse({
      brokers,
      clientId: config.kafka.clientId,
      ssl: config.kafka.ssl,
      ...(sasl?.password
        ? { sasl: { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } }
        : {}),
      partitions: config.kafka.partitions,
      instanceId: config.kafka.instanceId ?? hostname(),
    });
  };

  return {
    config,
    configFile: { path: loaded.file, exists: loaded.fileExists, fromEnv: loaded.fromEnv },
    paths,
    logger,
    topics,
    catalog: readCatalog(paths.feedsDir),
    get specs() {
      specs ??= readSpecs(paths.feedsDir, config.ingest.allowedRoots);
      return specs;
    },
    brokers,
    get metrics() {
      return getMetrics();
    },
    kafkaSettings,
    metricsPort(daemon) {
      if (options.metrics === false) return undefined;
      return explicitPort ?? (daemon ? config.metrics.port : undefined);
    },
    createBus() {
      const settings = kafkaSettings();
      const bus = settings ? createKafkaBus(settings, logger) : createEmbeddedBus();
      return meterBus(bus, getMetrics(), topics);
    },
  };
}
