import { describe, expect, it } from "vitest";
import { createKafkaBus, KafkaSettings, type BusRecord } from "../../bus/index.ts";
import { KafkaJSNonRetriableError } from "../../bus/kafkajs.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { waitUntil } from "../transform/kafka-harness.ts";
import { createLogger } from "../../runtime/logger.ts";

const records: BusRecord[] = Array.from({ length: 50 }, (_, i) => ({
  key: `k${i}`,
  value: { i },
  headers: { "gongfu-feed": "restart" },
}));

describe("a Kafka consumer that kafkajs gives up on", () => {
  it("is restarted: a non-retriable error (as a rejoin after a broker restart can raise) does not leave the stage consuming nothing", {
    timeout: 120_000,
  }, async () => {
    const prefix = uniqueTopicPrefix("consumer-restart");
    const topic = `${prefix}.in`;
    const bus = createKafkaBus(
      KafkaSettings.parse({ brokers: kafkaBrokers().split(","), partitions: 1, instanceId: "consumer-restart" }),
      createLogger({ level: "silent" }),
    );
    const seen = new Set<number>();
    let failures = 0;
    try {
      await bus.ensureTopics([topic]);
      await bus.publish(topic, records);
      await bus.runSink({
        groupId: `${prefix}-sink`,
        topics: [topic],
        storedPositions: async () => [],
        handle: async (batch) => {
          // kafkajs does not retry this error and does not restart the consumer after it.
          if (failures++ === 0) throw new KafkaJSNonRetriableError("the first batch fails for good");
          for (const d of batch) seen.add((d.value as { i: number }).i);
        },
      });
      await waitUntil(() => seen.size === records.length, "every record after the consumer's restart", 60_000);
    } finally {
      await bus.close();
    }
    expect(failures).toBeGreaterThan(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(records.map((_, i) => i));
  });
});
