import type { Delivered } from "../bus/index.ts";
import { DeadLetter, HEADERS, type TopicNames, type Validate, type Observation } from "../schemas/index.ts";
import type { DeadLetterRow, ObservationRow } from "./stage-rows.ts";

/** Sorts delivered messages into observations and dead letters; one the loader cannot read becomes a dead letter itself. */
export function decodeBatch(batch: readonly Delivered[], topics: TopicNames, validateObservation: Validate<Observation>): { observations: ObservationRow[]; deadLetters: DeadLetterRow[] } {
  const observations: ObservationRow[] = [];
  const deadLetters: DeadLetterRow[] = [];
  for (const m of batch) {
    if (m.topic === topics.observations) {
      const parsed = validateObservation(m.value);
      if (parsed.success) observations.push({ observation: parsed.data, topic: m.topic, partition: m.partition, offset: m.offset });
      else deadLetters.push({ letter: invalidInput(m, parsed.error.issues), topic: m.topic, partition: m.partition, offset: m.offset });
    } else {
      const parsed = DeadLetter.safeParse(m.value);
      deadLetters.push({ letter: parsed.success ? parsed.data : invalidInput(m, parsed.error.issues), topic: m.topic, partition: m.partition, offset: m.offset });
    }
  }
  return { observations, deadLetters };
}

/** A message the loader cannot read is quarantined with its position, never dropped. */
function invalidInput(m: Delivered, issues: readonly { path: PropertyKey[]; message: string; code: string }[]): DeadLetter {
  return {
    stage: "load",
    feed: m.headers?.[HEADERS.feed] ?? "unknown",
    source: { feed: "unknown", uri: `${m.topic}/${m.partition}`, position: { offset: Number(m.offset) } },
    payload: m.value,
    reasons: issues.map((i) => ({ path: i.path.map(String).join("."), code: `schema_${i.code}`, message: i.message })),
    at: new Date().toISOString(),
  };
}
