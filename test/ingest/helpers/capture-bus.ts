import { createEmbeddedBus, type Bus, type Delivered } from "../../../bus/index.ts";
import { rawRecordsOf, topicNames, type DeadLetter, type RawRecord, type TopicNames } from "../../../schemas/index.ts";

/** The real in-process bus with a sink that keeps everything published to a feed's raw topic and the ingest DLQ. */
export async function captureBus(
  feeds: string[],
  prefix = "t",
): Promise<{ bus: Bus; topics: TopicNames; raw: (feed?: string) => RawRecord[]; dead: () => DeadLetter[] }> {
  const bus = createEmbeddedBus();
  const topics = topicNames(prefix);
  const got: Delivered[] = [];
  await bus.runSink({
    groupId: "capture",
    topics: [...feeds.map((f) => topics.raw(f)), topics.dlqIngest],
    handle: async (batch) => void got.push(...batch),
    storedPositions: async () => [],
  });
  return {
    bus,
    topics,
    raw: (feed = feeds[0]!) =>
      got.filter((d) => d.topic === topics.raw(feed)).flatMap((d) => rawRecordsOf(d.value, d.headers)),
    dead: () => got.filter((d) => d.topic === topics.dlqIngest).map((d) => d.value as DeadLetter),
  };
}
