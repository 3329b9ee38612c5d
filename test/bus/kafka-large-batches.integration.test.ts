import { describe, expect, it } from "vitest";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { waitUntil } from "../transform/kafka-harness.ts";
import { createKafkaBus, KafkaSettings, type BusRecord, type Delivered } from "../../bus/index.ts";
import { createLogger } from "../../runtime/logger.ts";

/** 3000 records of about 1.2 KB: 3.6 MB, over the broker's default record-batch limit (message.max.bytes, 1 MiB) several times. */
const records: BusRecord[] = Array.from({ length: 3000 }, (_, i) => ({
  key: `k${i}`,
  value: { i, text: "浙".repeat(400) },
  headers: { "gongfu-feed": "large" },
}));

describe("the Kafka bus with batches larger than one produce request", () => {
  it("publishes them in bounded requests, and a processor commits their outputs in one transaction, each record once and in order", {
    timeout: 120_000,
  }, async () => {
    const prefix = uniqueTopicPrefix("large-batches");
    const [input, output] = [`${prefix}.in`, `${prefix}.out`];
    // One partition, so a single request would put every record in one record batch.
    const bus = createKafkaBus(
      KafkaSettings.parse({ brokers: kafkaBrokers().split(","), partitions: 1, instanceId: "large-batches" }),
      createLogger({ level: "silent" }),
    );
    const seen: Delivered[] = [];
    try {
      await bus.ensureTopics([input, output]);
      await bus.publish(input, records);
      await bus.runProcessor({
        groupId: `${prefix}-copy`,
        topics: [input],
        handle: async (batch, out) => {
          out.send(
            output,
            batch.map((d) => ({ key: d.key, value: d.value, headers: { "gongfu-feed": "large" } })),
          );
        },
      });
      await bus.runSink({
        groupId: `${prefix}-read`,
        topics: [output],
        storedPositions: async () => [],
        handle: async (batch) => void seen.push(...batch),
      });
      await waitUntil(() => seen.length >= records.length, "every copied record", 90_000);
    } finally {
      await bus.close();
    }
    expect(seen.map((d) => (d.value as { i: number }).i)).toEqual(records.map((_, i) => i));
  });
});
