import type { Logger } from "../runtime/logger.ts";
import type { KafkaSettings } from "./kafka-config.ts";
import type { Bus } from "./types.ts";

/**
 * The Kafka bus (kafka.ts), loaded when it is first used rather than when bus/ is imported: kafkajs is ~140 modules
 * and ~0.1 s of start-up, which an embedded run, or a command that never opens a bus, has no use for. The same
 * interface and behaviour; a failure to load it (kafkajs at another version, bus/kafkajs.ts) surfaces at first use.
 */
export function createKafkaBus(settings: KafkaSettings, logger: Logger): Bus {
  let loading: Promise<Bus> | undefined;
  const bus = (): Promise<Bus> =>
    (loading ??= import("./kafka.ts").then((kafka) => kafka.createKafkaBus(settings, logger)));
  return {
    kind: "kafka",
    ensureTopics: async (topics) => (await bus()).ensureTopics(topics),
    publish: async (topic, records) => (await bus()).publish(topic, records),
    runProcessor: async (options) => (await bus()).runProcessor(options),
    runSink: async (options) => (await bus()).runSink(options),
    // Nothing to close when nothing was loaded (or loading failed, which the call that started it reported).
    close: async () => (await loading?.catch(() => undefined))?.close(),
  };
}
