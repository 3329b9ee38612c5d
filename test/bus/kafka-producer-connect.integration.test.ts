import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createKafkaBus, KafkaSettings } from "../../bus/index.ts";
import { createLogger } from "../../runtime/logger.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";

describe("the Kafka bus's producer", () => {
  it("connects once for publishes that arrive together, none of them failing or logging an error", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const bus = createKafkaBus(
      KafkaSettings.parse({ brokers: kafkaBrokers().split(","), partitions: 1, instanceId: "producer-connect" }),
      createLogger({ level: "info", destination: sink }),
    );
    const topic = `${uniqueTopicPrefix("connect")}.raw`;
    try {
      await bus.ensureTopics([topic]);
      // Several feeds publishing at once as ingest --watch starts: each used to race the producer's first connect.
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => bus.publish(topic, [{ key: `k${i}`, value: { i }, headers: {} }])),
      );
      expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(Array(5).fill("ok"));
      const errors = lines.filter((l) => /"level":(50|60)/.test(l) || /producer is disconnected/.test(l));
      expect(errors).toEqual([]);
    } finally {
      await bus.close();
    }
  });
});
