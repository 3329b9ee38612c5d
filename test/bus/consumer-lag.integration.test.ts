import { describe, expect, it } from "vitest";
import { KafkaSettings } from "../../bus/index.ts";
import { fetchConsumerLag, withKafkaAdmin } from "../../bus/kafka-admin.ts";
import { Kafka, logLevel } from "../../bus/kafkajs.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { writeSection } from "../reliability/results-file.ts";

describe("consumer lag on a transactional topic", () => {
  it("does not count commit markers: a caught-up group shows 0, and unread records are counted without them", async () => {
    const brokers = kafkaBrokers();
    const topic = `${uniqueTopicPrefix("lag")}.observations`;
    const kafka = new Kafka({ clientId: "lag-test", brokers: brokers.split(","), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer({ transactionalId: `${topic}-tx`, maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
      // Two transactions, each writing 3 records to each partition: offsets 0-2 data, 3 marker, 4-6 data, 7 marker.
      for (let t = 0; t < 2; t++) {
        const tx = await producer.transaction();
        await tx.send({
          topic,
          messages: [0, 1].flatMap((partition) => [0, 1, 2].map((i) => ({ partition, value: `${t}-${i}` }))),
        });
        await tx.commit();
      }
      const settings = KafkaSettings.parse({ brokers: brokers.split(",") });
      const lagOf = async (group: string) =>
        (await withKafkaAdmin(settings, (a, k) => fetchConsumerLag(a, [group], k))).find((l) => l.topic === topic);
      const naive = async (group: string) =>
        (await withKafkaAdmin(settings, (a) => fetchConsumerLag(a, [group]))).find((l) => l.topic === topic);

      // Caught up: a consumer commits the offset after the last record it read, 7; the end offset is 8.
      const caughtUp = `${topic}-caught-up`;
      await admin.setOffsets({
        groupId: caughtUp,
        topic,
        partitions: [
          { partition: 0, offset: "7" },
          { partition: 1, offset: "7" },
        ],
      });
      expect((await naive(caughtUp))?.lag).toBe(2);
      expect(await lagOf(caughtUp)).toMatchObject({ lag: 0, partitions: [{ lag: 0 }, { lag: 0 }] });

      // Half way: partition 0 read the first transaction (committed 4: 3 data records and a marker unread),
      // partition 1 read one record (committed 1: 2 + 3 data records unread).
      const behind = `${topic}-behind`;
      await admin.setOffsets({
        groupId: behind,
        topic,
        partitions: [
          { partition: 0, offset: "4" },
          { partition: 1, offset: "1" },
        ],
      });
      expect(await lagOf(behind)).toMatchObject({ lag: 8, partitions: [{ lag: 3 }, { lag: 5 }] });
      await writeSection(
        "consumer-lag",
        [
          "## Consumer lag on transactional topics",
          "",
          "`test/bus/consumer-lag.integration.test.ts`, on a real broker: a topic of 2 partitions written by two",
          "transactions of 3 records per partition (offsets 0-2 data, 3 commit marker, 4-6 data, 7 marker; end offset 8).",
          "`status --kafka` and `gongfu_consumer_lag_messages` read each unread range (up to 10 000 offsets) read_committed",
          "and count its data records only.",
          "",
          "| group | end − committed | lag shown |",
          "|---|---:|---:|",
          `| caught up (committed 7, 7) | ${(await naive(caughtUp))?.lag} | ${(await lagOf(caughtUp))?.lag} |`,
          `| behind (committed 4, 1) | ${(await naive(behind))?.lag} | ${(await lagOf(behind))?.lag} |`,
        ].join("\n"),
      );
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
