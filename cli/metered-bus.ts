import type { Bus, BusRecord, Delivered } from "../bus/index.ts";
import { HEADERS, type ObservationBatch, type RawBatch, type TopicNames } from "../schemas/index.ts";
import type { Metrics } from "../runtime/metrics.ts";

/**
 * How many records a bus record carries: a batch counts its rows (an observation batch less the cells recorded as
 * sent without a value), anything else one. The producing side always holds the batch object itself.
 */
function recordsIn(value: unknown): number {
  const kind = typeof value === "object" && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (kind === "raw") return (value as RawBatch).rows;
  if (kind === "observations") return (value as ObservationBatch).rows - (value as ObservationBatch).missing;
  return 1;
}

/** Counts per feed, from the feed header every stage sets (or the raw topic's name). */
function countByFeed(records: Array<BusRecord | Delivered>, fallback: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) {
    const feed = r.headers?.[HEADERS.feed] ?? fallback;
    counts.set(feed, (counts.get(feed) ?? 0) + recordsIn(r.value));
  }
  return counts;
}

/** The stage a consumer group belongs to, for the batch-duration label: `<prefix>-transform` → `transform`. */
export function stageOfGroup(groupId: string, topics: TopicNames): string {
  return groupId.startsWith(`${topics.prefix}-`) ? groupId.slice(topics.prefix.length + 1) : groupId;
}

/** A metered bus, and the bus under it for consumers that must not count (a replay watching outcomes). */
export interface MeteredBus extends Bus {
  readonly inner: Bus;
}

/**
 * Wraps a bus so the records crossing it are counted per feed and consumed batches are timed, without the
 * stages knowing: what ingest publishes to raw topics is ingested, what transform sends to the observations
 * topic is normalised, dead letters are rejected. A batch is counted once its handler has returned; one retried
 * after a failed commit counts again. Loaded observations are counted by the loader when a merge commits
 * (countLoaded): a sink's handler returns once it has staged them, which is not yet loaded.
 */
export function meterBus(bus: Bus, metrics: Metrics, topics: TopicNames): MeteredBus {
  const rawFeed = (topic: string) => (topics.rawPattern.test(topic) ? topic.replace(topics.rawPattern, "") : "unknown");

  function countPublished(topic: string, records: BusRecord[]): void {
    if (topics.rawPattern.test(topic))
      for (const [feed, n] of countByFeed(records, rawFeed(topic))) metrics.recordsIngested.inc({ feed }, n);
    else if (topic === topics.observations)
      for (const [feed, n] of countByFeed(records, "unknown")) metrics.recordsNormalised.inc({ feed }, n);
    else if (topic === topics.dlqIngest || topic === topics.dlqTransform || topic === topics.dlqLoad) {
      const stage = topic.slice(topic.lastIndexOf(".") + 1);
      for (const [feed, n] of countByFeed(records, "unknown")) metrics.recordsRejected.inc({ feed, stage }, n);
    }
  }

  return {
    inner: bus,
    kind: bus.kind,
    ensureTopics: (t) => bus.ensureTopics(t),
    ...(bus.flush ? { flush: () => bus.flush!() } : {}),
    async publish(topic, records) {
      await bus.publish(topic, records);
      countPublished(topic, records);
    },
    runProcessor(options) {
      const stage = stageOfGroup(options.groupId, topics);
      return bus.runProcessor({
        ...options,
        handle: async (batch, out) => {
          const end = metrics.batchDuration.startTimer({ stage });
          const sent: Array<[string, BusRecord[]]> = [];
          await options.handle(batch, {
            send: (topic, records) => {
              sent.push([topic, records]);
              return out.send(topic, records);
            },
          });
          end();
          for (const [topic, records] of sent) countPublished(topic, records);
        },
      });
    },
    runSink(options) {
      const stage = stageOfGroup(options.groupId, topics);
      return bus.runSink({
        ...options,
        handle: async (batch, positions) => {
          const end = metrics.batchDuration.startTimer({ stage });
          await options.handle(batch, positions);
          end();
        },
      });
    },
    close: () => bus.close(),
  };
}

/** The loader's onCommitted: observations a committed merge took, per feed, re-deliveries included. */
export function countLoaded(metrics: Metrics): (observationsByFeed: ReadonlyMap<string, number>) => void {
  return (byFeed) => {
    for (const [feed, n] of byFeed) metrics.recordsLoaded.inc({ feed }, n);
  };
}
