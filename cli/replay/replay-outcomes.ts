import type { Bus, Delivered, Runner } from "../../bus/index.ts";
import { DeadLetter, Observation, type TopicNames } from "../../schemas/index.ts";
import { sourceKey } from "../../load/index.ts";

/** What became of each replayed record, seen on the bus: observations, a new dead letter, or both. */
export interface ReplayOutcomes {
  observations: Map<string, number>;
  deadLetters: Map<string, string[]>;
  runner: Runner;
}

/**
 * Watches what transform emits for the replayed sources: an extra subscriber on the observations and
 * transform dead-letter topics (on Kafka a group of its own, starting from `from`: the ends before the replay).
 */
export async function watchOutcomes(
  bus: Bus,
  topics: TopicNames,
  groupId: string,
  keys: Set<string>,
  from: Array<{ topic: string; partition: number; offset: string }> = [],
): Promise<ReplayOutcomes> {
  const observations = new Map<string, number>();
  const deadLetters = new Map<string, string[]>();
  const runner = await bus.runSink({
    groupId,
    topics: [topics.observations, topics.dlqTransform],
    storedPositions: async () => from,
    handle: async (batch: Delivered[]) => {
      for (const m of batch) {
        if (m.topic === topics.observations) {
          const o = Observation.safeParse(m.value);
          const key = o.success ? sourceKey(o.data.source) : undefined;
          if (key && keys.has(key)) observations.set(key, (observations.get(key) ?? 0) + 1);
        } else {
          const d = DeadLetter.safeParse(m.value);
          const key = d.success ? sourceKey(d.data.source) : undefined;
          if (d.success && key && keys.has(key))
            deadLetters.set(key, [...(deadLetters.get(key) ?? []), ...d.data.reasons.map((r) => r.code)]);
        }
      }
    },
  });
  return { observations, deadLetters, runner };
}
