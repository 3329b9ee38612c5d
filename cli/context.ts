import { createEmbeddedBus, createKafkaBus, KafkaSettings, type Bus } from "../bus/index.ts";
import { defaultCatalog, readFeedSpecs, topicNames, type Catalog, type FeedSpec, type TopicNames } from "../schemas/index.ts";
import { loadConfig, resolvePaths, type Config, type ResolvedPaths } from "../runtime/config.ts";
import { createLogger, type Logger } from "../runtime/logger.ts";
import { ConfigError } from "../runtime/errors.ts";
import { hostname } from "node:os";

/** Options every command accepts. */
export interface GlobalOptions {
  config?: string;
  kafka?: string | boolean;
  data?: string;
  feeds?: string;
  topicPrefix?: string;
  verbose?: boolean;
}

/** What a command works with: configuration, paths, the logger, the catalog and the feed specs. */
export interface CommandContext {
  config: Config;
  paths: ResolvedPaths;
  logger: Logger;
  topics: TopicNames;
  catalog: Catalog;
  specs: FeedSpec[];
  /** Brokers when running on Kafka; undefined in embedded mode. */
  brokers: string[] | undefined;
  createBus(): Bus;
}

export function createContext(options: GlobalOptions): CommandContext {
  const config = loadConfig(options.config === undefined ? {} : { file: options.config });
  const overridden: Config = {
    ...config,
    ...(options.data ? { dataDir: options.data } : {}),
    ...(options.feeds ? { feedsDir: options.feeds } : {}),
    ...(options.topicPrefix ? { topicPrefix: options.topicPrefix } : {}),
  };
  const paths = resolvePaths(overridden);
  const logger = createLogger({ level: options.verbose ? "debug" : overridden.logLevel });
  const brokers = typeof options.kafka === "string" ? options.kafka.split(",").map((b) => b.trim()).filter(Boolean) : options.kafka === true || overridden.kafka.brokers.length > 0 ? overridden.kafka.brokers : undefined;
  if (brokers !== undefined && brokers.length === 0) throw new ConfigError("--kafka needs broker addresses (host:port[,host:port]) or KAFKA_BROKERS");
  const topics = topicNames(overridden.topicPrefix);
  return {
    config: overridden,
    paths,
    logger,
    topics,
    catalog: defaultCatalog(),
    specs: readFeedSpecs(paths.feedsDir),
    brokers,
    createBus() {
      if (!brokers) return createEmbeddedBus();
      const settings = KafkaSettings.parse({
        brokers,
        clientId: overridden.kafka.clientId,
        ssl: overridden.kafka.ssl,
        partitions: overridden.kafka.partitions,
        instanceId: overridden.kafka.instanceId ?? hostname(),
      });
      return createKafkaBus(settings, logger);
    },
  };
}
