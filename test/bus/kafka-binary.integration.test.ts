import { createHash, randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { waitUntil } from "../transform/kafka-harness.ts";
import { createKafkaBus, ENCODING_HEADER, KafkaSettings, type BusRecord, type Delivered } from "../../bus/index.ts";
import { ConfigResourceTypes, Kafka, logLevel, Partitioners } from "../../bus/kafkajs.ts";
import { KAFKA_TUNING } from "../../bus/kafka-tuning.ts";
import { createLogger } from "../../runtime/logger.ts";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const PARTITIONS = 3;

// Binary values of every size up to one full batch of 1 MiB, which with its key, headers and framing is over the
// broker's default record-batch limit (message.max.bytes, 1 MiB + 12 bytes): the topics the bus creates must take it.
const payloads = [0, 1, 7, 4096, 300_000, 1024 * 1024].map((n) => randomBytes(n));
const binaries: BusRecord[] = payloads.map((bytes, i) => ({
  key: `batch-${i}`,
  value: { rows: i },
  headers: { "gongfu-feed": "binary", "gongfu-schema": "v1" },
  binary: { encoding: "arrow-ipc-stream", bytes: () => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) },
}));
const jsons: BusRecord[] = [{ key: "json-0", value: { json: true, 城市: "杭州" }, headers: { "gongfu-feed": "json" } }];

describe("the Kafka bus with binary records", () => {
  it("carries their bytes unchanged with their encoding header through publish, a processor and a sink, beside JSON", {
    timeout: 120_000,
  }, async () => {
    const prefix = uniqueTopicPrefix("binary");
    const [input, output] = [`${prefix}.in`, `${prefix}.out`];
    const bus = createKafkaBus(
      KafkaSettings.parse({ brokers: kafkaBrokers().split(","), partitions: PARTITIONS, instanceId: "binary" }),
      createLogger({ level: "silent" }),
    );
    const processed: Delivered[] = [];
    const seen: Delivered[] = [];
    try {
      await bus.ensureTopics([input, output]);
      await bus.publish(input, [...binaries, ...jsons]);
      await bus.runProcessor({
        groupId: `${prefix}-copy`,
        topics: [input],
        handle: async (batch, out) => {
          processed.push(...batch);
          out.send(
            output,
            batch.map((d): BusRecord => {
              const encoding = d.headers?.[ENCODING_HEADER];
              if (encoding === undefined) return { key: d.key, value: d.value, headers: { ...d.headers } };
              // What a stage does: decode the bytes, work, encode its output (here the same bytes) as a binary record.
              const bytes = d.value as Uint8Array;
              const { [ENCODING_HEADER]: _, ...headers } = d.headers ?? {};
              return { key: d.key, value: null, headers, binary: { encoding, bytes: () => bytes } };
            }),
          );
        },
      });
      await bus.runSink({
        groupId: `${prefix}-read`,
        topics: [output],
        storedPositions: async () => [],
        handle: async (batch) => void seen.push(...batch),
      });
      await waitUntil(
        () => seen.length >= binaries.length + jsons.length,
        "every record through the processor",
        90_000,
      );
    } finally {
      await bus.close();
    }
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionOf = (key: string) =>
      partitioner({
        topic: output,
        partitionMetadata: Array.from({ length: PARTITIONS }, (_, partitionId) => ({
          partitionId,
          leader: 1,
          replicas: [1],
          isr: [1],
          partitionErrorCode: 0,
          offlineReplicas: [],
        })),
        message: { key, value: null },
      });
    for (const stage of [processed, seen]) {
      expect(stage).toHaveLength(binaries.length + jsons.length);
      for (const [i, bytes] of payloads.entries()) {
        const d = stage.find((x) => x.key === `batch-${i}`)!;
        expect(d.value).toBeInstanceOf(Uint8Array);
        expect(Buffer.isBuffer(d.value)).toBe(false);
        expect((d.value as Uint8Array).byteLength).toBe(bytes.length);
        expect(sha(d.value as Uint8Array)).toBe(sha(bytes));
        expect(d.headers).toEqual({
          "gongfu-feed": "binary",
          "gongfu-schema": "v1",
          [ENCODING_HEADER]: "arrow-ipc-stream",
        });
        // A key's partition is the one kafkajs's (Java-compatible) default partitioner gives it.
        expect(d.partition).toBe(partitionOf(d.key));
      }
      const json = stage.find((x) => x.key === "json-0")!;
      expect(json.value).toEqual(jsons[0]!.value);
      expect(json.headers).toEqual({ "gongfu-feed": "json" });
    }
  });

  it("creates its topics to take messages of 8 MiB, and warns of an existing topic that takes less", {
    timeout: 60_000,
  }, async () => {
    const prefix = uniqueTopicPrefix("binary-limit");
    const [created, existing] = [`${prefix}.created`, `${prefix}.existing`];
    const admin = new Kafka({ brokers: kafkaBrokers().split(","), logLevel: logLevel.NOTHING }).admin();
    const lines: string[] = [];
    const destination = new PassThrough();
    destination.on("data", (chunk: Buffer) => lines.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
    const bus = createKafkaBus(
      KafkaSettings.parse({ brokers: kafkaBrokers().split(","), partitions: 1, instanceId: "binary-limit" }),
      createLogger({ level: "warn", destination }),
    );
    try {
      await admin.connect();
      // As a topic made by hand, or by an older gongfu: the broker's default limit.
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: existing, numPartitions: 1 }] });
      await bus.ensureTopics([created, existing]);
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: created, configNames: ["max.message.bytes"] }],
      });
      expect(resources[0]!.configEntries[0]!.configValue).toBe(String(KAFKA_TUNING.topicMaxMessageBytes));
    } finally {
      await bus.close();
      await admin.disconnect();
    }
    const warnings = lines.map((l) => JSON.parse(l) as { topic?: string; msg: string });
    expect(warnings.filter((w) => w.topic === existing).map((w) => w.msg)).toEqual([
      expect.stringContaining(`--entity-name ${existing} --add-config max.message.bytes=8388608`),
    ]);
    expect(warnings.some((w) => w.topic === created)).toBe(false);
  });
});
