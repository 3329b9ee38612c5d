import type { Delivered } from "../bus/index.ts";
import {
  BatchDecodeError,
  DeadLetter,
  HEADERS,
  type ObservationBatch,
  observationBatchOf,
  observationBatchProblems,
  type TopicNames,
  type Validate,
  type Observation,
} from "../schemas/index.ts";
import { ObservationList, type ObservationRow } from "./observation-list.ts";
import type { DeadLetterRow } from "./merge-buffer-rows.ts";

export interface DecodedBatch {
  observations: ObservationList;
  deadLetters: DeadLetterRow[];
  /** Each observation's and each dead letter's index in the batch, so the batch can be cut between records. */
  observationAt: number[];
  deadLetterAt: number[];
}

/** Sorts delivered messages into observations and dead letters; one the loader cannot read becomes a dead letter itself. */
export function decodeBatch(
  batch: readonly Delivered[],
  topics: TopicNames,
  validateObservation: Validate<Observation>,
): DecodedBatch {
  const parts: Array<ObservationRow | { batch: ObservationBatch; topic: string; partition: number; offset: string }> =
    [];
  const out: DecodedBatch = {
    observations: ObservationList.empty(),
    deadLetters: [],
    observationAt: [],
    deadLetterAt: [],
  };
  const dead = (letter: DeadLetter, m: Delivered, i: number) => {
    out.deadLetters.push({ letter, topic: m.topic, partition: m.partition, offset: m.offset });
    out.deadLetterAt.push(i);
  };
  batch.forEach((m, i) => {
    if (m.topic === topics.observations) {
      let batch: ObservationBatch | undefined;
      try {
        batch = observationBatchOf(m.value, m.headers);
      } catch (err) {
        if (!(err instanceof BatchDecodeError)) throw err;
        const issue = { path: [], message: err.message, code: "bad_batch" };
        return dead(invalidInput({ ...m, value: { unreadableBytes: byteLength(m.value) } }, [issue]), m, i);
      }
      const problems = batch ? observationBatchProblems(batch) : [];
      if (batch && problems.length > 0) {
        const issues = problems.map((message) => ({ path: ["batch"], message, code: "bad_batch" }));
        return dead(invalidInput({ ...m, value: { batch: `${batch.feed} ${batch.uri} #${batch.seq}` } }, issues), m, i);
      }
      if (batch) {
        parts.push({ batch, topic: m.topic, partition: m.partition, offset: m.offset });
        for (let r = 0; r < batch.rows; r++) out.observationAt.push(i);
        return;
      }
      const parsed = validateObservation(m.value);
      if (!parsed.success) return dead(invalidInput(m, parsed.error.issues), m, i);
      parts.push({ observation: parsed.data, topic: m.topic, partition: m.partition, offset: m.offset });
      out.observationAt.push(i);
    } else {
      const parsed = DeadLetter.safeParse(m.value);
      dead(parsed.success ? parsed.data : invalidInput(m, parsed.error.issues), m, i);
    }
  });
  out.observations = ObservationList.of(parts);
  return out;
}

/** A message the loader cannot read is quarantined with its position, never dropped. */
function invalidInput(
  m: Delivered,
  issues: readonly { path: PropertyKey[]; message: string; code: string }[],
): DeadLetter {
  return {
    stage: "load",
    feed: m.headers?.[HEADERS.feed] ?? "unknown",
    source: { feed: "unknown", uri: `${m.topic}/${m.partition}`, position: { offset: Number(m.offset) } },
    payload: m.value,
    reasons: issues.map((i) => ({ path: i.path.map(String).join("."), code: `schema_${i.code}`, message: i.message })),
    at: new Date().toISOString(),
  };
}

const byteLength = (value: unknown): number => (value instanceof Uint8Array ? value.byteLength : 0);
