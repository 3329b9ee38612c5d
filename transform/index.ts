/**
 * Transform: one consumer group reads every feed's raw topic and writes observations in the indicator model
 * to `gongfu.observations` (key indicator|region|period) and anything invalid, with every reason, to
 * `gongfu.dlq.transform`. On Kafka the outputs and the consumed offsets commit in one transaction.
 * A record yields at most one dead letter: a wide row's good cells still become observations, and its dead letter
 * (the whole original record) lists a reason for each bad cell, its path naming the column.
 */
import type { z } from "zod";
import type { Bus, BusRecord, Delivered, Runner } from "../bus/index.ts";
import {
  HEADERS,
  createRawRecordValidator,
  feedRegionResolver,
  formatPosition,
  observationKey,
  type Catalog,
  type DeadLetter,
  type DeadLetterReason,
  type FeedSpec,
  type RawRecord,
  type TopicNames,
} from "../schemas/index.ts";
import type { Logger } from "../runtime/logger.ts";
import { normalizeRecord, type NormalizeContext } from "./normalize-record.ts";

export { normalizeRecord, type NormalizeResult } from "./normalize-record.ts";
export { parseCell, toHalfWidth } from "./parse-number.ts";

export interface TransformOptions {
  bus: Bus;
  topics: TopicNames;
  specs: FeedSpec[];
  catalog: Catalog;
  logger: Logger;
  groupId?: string;
  now?: () => Date;
  /** Most raw records per transaction (Kafka). */
  maxBatch?: number;
  /** Consumer-group session timeout (Kafka): how soon a crashed instance's partitions move on. */
  sessionTimeoutMs?: number;
}

export interface TransformStats {
  records: number;
  observations: number;
  deadLetters: number;
  missingCells: number;
}

/** Subscribes transform to every feed's raw topic; returns the runner and live counts. */
export async function startTransform(options: TransformOptions): Promise<{ runner: Runner; stats: TransformStats }> {
  const { bus, topics, specs, catalog } = options;
  const log = options.logger.child({ stage: "transform" });
  const now = options.now ?? (() => new Date());
  const specById = new Map(specs.map((s) => [s.id, s] as const));
  const stats: TransformStats = { records: 0, observations: 0, deadLetters: 0, missingCells: 0 };
  const inputs = specs.map((s) => topics.raw(s.id));
  const validateRaw = createRawRecordValidator();
  await bus.ensureTopics([...inputs, topics.observations, topics.dlqTransform]);

  const runner = await bus.runProcessor({
    groupId: options.groupId ?? `${topics.prefix}-transform`,
    topics: inputs,
    ...(options.maxBatch === undefined ? {} : { maxBatch: options.maxBatch }),
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
    handle: async (batch, out) => {
      const observations: BusRecord[] = [];
      const dead: BusRecord[] = [];
      const ingestedAt = now().toISOString();
      // Allocated per call, not per message: most messages need no letter.
      const letter = (message: Delivered, reasons: DeadLetterReason[], record?: RawRecord): void => {
        const value: DeadLetter = {
          stage: "transform",
          feed: record?.feed ?? message.headers?.[HEADERS.feed] ?? "unknown",
          source: record?.source ?? {
            feed: message.headers?.[HEADERS.feed] ?? "unknown",
            uri: `${message.topic}/${message.partition}`,
            position: { offset: Number(message.offset) },
          },
          payload: message.value,
          reasons,
          at: ingestedAt,
        };
        dead.push({
          key: message.key,
          value,
          headers: { [HEADERS.feed]: value.feed, [HEADERS.position]: formatPosition(value.source.position) },
        });
        log.debug(
          {
            feed: value.feed,
            file: value.source.uri,
            position: value.source.position,
            codes: reasons.map((r) => r.code),
          },
          "record rejected",
        );
      };
      const contexts = new Map<string, NormalizeContext>();
      for (const message of batch) {
        stats.records++;
        const parsed = validateRaw(message.value);
        if (!parsed.success) {
          letter(message, zodReasons(parsed.error));
          continue;
        }
        const record = parsed.data;
        let ctx = contexts.get(record.feed);
        if (!ctx) {
          const spec = specById.get(record.feed);
          if (!spec) {
            letter(
              message,
              [{ path: "feed", code: "unknown_feed", message: `no feed spec with id ${record.feed}` }],
              record,
            );
            continue;
          }
          ctx = { spec, catalog, regions: feedRegionResolver(catalog, spec), ingestedAt };
          contexts.set(record.feed, ctx);
        }
        const result = normalizeRecord(record, ctx);
        stats.missingCells += result.missing;
        if (result.recordReasons.length > 0) letter(message, result.recordReasons, record);
        else if (result.rejectedCells.length > 0)
          letter(
            message,
            result.rejectedCells.flatMap((c) => c.reasons),
            record,
          );
        for (const o of result.observations)
          observations.push({ key: observationKey(o), value: o, headers: feedHeaders(o.source.feed) });
      }
      stats.observations += observations.length;
      stats.deadLetters += dead.length;
      out.send(topics.observations, observations);
      out.send(topics.dlqTransform, dead);
    },
  });
  return { runner, stats };
}

/** Observation headers name only the feed: one shared, frozen object per feed instead of one per observation. */
const headersByFeed = new Map<string, Readonly<Record<string, string>>>();
function feedHeaders(feed: string): Record<string, string> {
  let headers = headersByFeed.get(feed);
  if (!headers) {
    headers = Object.freeze({ [HEADERS.feed]: feed });
    headersByFeed.set(feed, headers);
  }
  return headers as Record<string, string>;
}

function zodReasons(error: z.ZodError): DeadLetterReason[] {
  // A root-level issue (the payload is not an object at all) is about the whole record.
  return error.issues.map((i) => ({
    path: i.path.length > 0 ? i.path.map(String).join(".") : "record",
    code: `schema_${i.code}`,
    message: i.message,
  }));
}
