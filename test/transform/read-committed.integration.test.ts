import { describe, expect, it } from "vitest";
import { testKafka, waitUntil } from "./kafka-harness.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { createKafkaBus, KafkaSettings, type Delivered } from "../../bus/index.ts";
import { createLogger } from "../../runtime/logger.ts";

describe("read_committed through the Kafka bus", () => {
  it("never delivers a transaction aborted after a later one began, as a fenced transform leaves behind", {
    timeout: 60_000,
  }, async () => {
    const kafka = testKafka(kafkaBrokers());
    const topic = `${uniqueTopicPrefix("read-committed")}.out`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();

    const producer = (id: string) =>
      kafka.producer({ transactionalId: `${topic}-${id}`, idempotent: true, maxInFlightRequests: 1 });
    const [first, second, third] = [producer("first"), producer("second"), producer("third")];
    await Promise.all([first.connect(), second.connect(), third.connect()]);
    try {
      // first begins, second begins; second aborts, then first aborts: the broker lists second's abort before first's.
      const a = await first.transaction();
      await a.send({ topic, messages: [{ key: "aborted-first", value: "1" }] });
      const b = await second.transaction();
      await b.send({ topic, messages: [{ key: "aborted-second", value: "2" }] });
      await b.abort();
      await a.abort();
      const c = await third.transaction();
      await c.send({ topic, messages: [{ key: "committed", value: "3" }] });
      await c.commit();
    } finally {
      await Promise.all([first.disconnect(), second.disconnect(), third.disconnect()]);
    }

    const bus = createKafkaBus(
      KafkaSettings.parse({ brokers: kafkaBrokers().split(","), instanceId: "read-committed-test" }),
      createLogger({ level: "silent" }),
    );
    const seen: Delivered[] = [];
    try {
      await bus.runSink({
        groupId: `${topic}-reader`,
        topics: [topic],
        storedPositions: async () => [],
        handle: async (batch) => void seen.push(...batch),
      });
      await waitUntil(() => seen.some((d) => d.key === "committed"), "the committed record", 30_000);
    } finally {
      await bus.close();
    }
    expect(seen.map((d) => d.key)).toEqual(["committed"]);
  });
});
