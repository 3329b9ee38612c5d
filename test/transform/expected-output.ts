import { createEmbeddedBus, type Delivered } from "../../bus/index.ts";
import { observationKey, rawRecordKey, topicNames, type TopicNames } from "../../schemas/index.ts";
import { createLogger } from "../../runtime/logger.ts";
import { normalizeRecord, startTransform, type TransformStats } from "../../transform/index.ts";
import type { TailedRecord } from "./kafka-harness.ts";
import type { RawInput } from "./raw-input.ts";
import { catalog, context, longSpec, wideSpec } from "./records.ts";

/** One output record as compared across runs: which output, its key, and its value without the processing time. */
export function comparable(records: TailedRecord[], topics: TopicNames): string[] {
  return records
    .map(({ topic, key, value }) => {
      const kind =
        topic === topics.observations ? "observation" : topic === topics.dlqTransform ? "dead letter" : topic;
      const { ingestedAt: _i, at: _a, ...stable } = value as Record<string, unknown>;
      return JSON.stringify([kind, key, stable]);
    })
    .sort();
}

/** The observations normalizeRecord itself makes of the input, as the transform should publish them. */
export function expectedObservations(input: RawInput[], topics: TopicNames): TailedRecord[] {
  return input.flatMap(({ feed, record }) =>
    normalizeRecord(record, context(feed)).observations.map((o) => ({
      topic: topics.observations,
      key: observationKey(o),
      value: o,
    })),
  );
}

/** Runs the input through startTransform on the embedded bus (embedded mode) and returns what it published. */
export async function runEmbedded(
  input: RawInput[],
): Promise<{ records: TailedRecord[]; topics: TopicNames; stats: TransformStats }> {
  const bus = createEmbeddedBus();
  const topics = topicNames("embedded");
  const records: TailedRecord[] = [];
  const keep = async (batch: Delivered[]) =>
    void records.push(...batch.map(({ topic, key, value }) => ({ topic, key, value })));
  await bus.runSink({
    groupId: "keep",
    topics: [topics.observations, topics.dlqTransform],
    storedPositions: async () => [],
    handle: keep,
  });
  const { stats } = await startTransform({
    bus,
    topics,
    specs: [wideSpec, longSpec],
    catalog,
    logger: createLogger({ level: "silent" }),
  });
  // One record per publish, as Kafka would deliver them in any batching.
  for (const { feed, record } of input)
    await bus.publish(topics.raw(feed.id), [{ key: rawRecordKey(record), value: record }]);
  await bus.close();
  return { records, topics, stats };
}
