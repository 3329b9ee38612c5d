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
  BatchDecodeError,
  batchRecord,
  encodeObservationBatch,
  HEADERS,
  type RawBatch,
  rawBatchOf,
  rawBatchProblems,
  rawRecordAt,
  rawRecordKey,
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
import { normalizeBatch } from "./normalize-batch.ts";
import { normalizeRecord, type NormalizeContext } from "./normalize-record.ts";

export { normalizeBatch, type BatchResult } from "./normalize-batch.ts";
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
  maxTransactionRecords?: number;
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
    ...(options.maxTransactionRecords === undefined ? {} : { maxTransactionRecords: options.maxTransactionRecords }),
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
    handle: async (batch, out) => {
      const observations: BusRecord[] = [];
      const dead: BusRecord[] = [];
      let batchObservations = 0;
      const ingestedAt = now().toISOString();
      // Allocated per call, not per message: most messages need no letter.
      const letter = (
        message: Delivered,
        reasons: DeadLetterReason[],
        record?: RawRecord,
        // A batch's failed row is its own record: its payload and key are the row's, not the whole message's.
        row?: RawRecord,
        // What stands for a payload that cannot be stored as it is (a whole batch of columns).
        summary?: unknown,
      ): void => {
        const value: DeadLetter = {
          stage: "transform",
          feed: record?.feed ?? message.headers?.[HEADERS.feed] ?? "unknown",
          source: record?.source ?? {
            feed: message.headers?.[HEADERS.feed] ?? "unknown",
            uri: `${message.topic}/${message.partition}`,
            position: { offset: Number(message.offset) },
          },
          payload:
            row ??
            summary ??
            (message.value instanceof Uint8Array ? { unreadableBytes: message.value.byteLength } : message.value),
          reasons,
          at: ingestedAt,
        };
        dead.push({
          key: row ? rawRecordKey(row) : message.key,
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
      const contextOf = (feed: string): NormalizeContext | undefined => {
        let ctx = contexts.get(feed);
        const spec = specById.get(feed);
        if (!ctx && spec)
          contexts.set(feed, (ctx = { spec, catalog, regions: feedRegionResolver(catalog, spec), ingestedAt }));
        return ctx;
      };
      for (const message of batch) {
        let raw: RawBatch | undefined;
        try {
          raw = rawBatchOf(message.value, message.headers);
        } catch (err) {
          if (!(err instanceof BatchDecodeError)) throw err;
          stats.records++;
          letter(message, [{ path: "record", code: "bad_batch", message: err.message }]);
          continue;
        }
        if (raw) {
          const problems = rawBatchProblems(raw);
          if (problems.length > 0) {
            stats.records += raw.rows;
            const reasons = problems.map((p) => ({ path: "batch", code: "bad_batch", message: p }));
            letter(message, reasons, undefined, undefined, { batch: `${raw.uri} #${raw.seq}`, rows: raw.rows });
          } else handleBatch(message, raw);
          continue;
        }
        stats.records++;
        const parsed = validateRaw(message.value);
        if (!parsed.success) {
          letter(message, zodReasons(parsed.error));
          continue;
        }
        const record = parsed.data;
        const ctx = contextOf(record.feed);
        if (!ctx) {
          letter(message, [unknownFeed(record.feed)], record);
          continue;
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
      /** A raw batch: normalised column-wise into one observation batch; each failed row becomes a dead letter. */
      function handleBatch(message: Delivered, raw: RawBatch): void {
        stats.records += raw.rows;
        const ctx = contextOf(raw.feed);
        if (!ctx) {
          for (let i = 0; i < raw.rows; i++) {
            const row = rawRecordAt(raw, i);
            letter(message, [unknownFeed(raw.feed)], row, row);
          }
          return;
        }
        const result = normalizeBatch(raw, ctx);
        stats.missingCells += result.missing;
        for (const f of result.failed) {
          const row = rawRecordAt(raw, f.row);
          letter(message, f.reasons, row, row);
        }
        const obs = result.observations;
        if (obs.rows === 0) return;
        // The batch is one record sent; its rows are observations, less the cells recorded as not reported.
        batchObservations += obs.rows - obs.missing - 1;
        observations.push(
          // Keyed like the raw batch (not per batch): a source's batches stay in order in one partition, so the
          // loader merges its lines in order and the key lookup prunes the facts by line.
          batchRecord(rawRecordKey(raw), obs, encodeObservationBatch, {
            ...feedHeaders(raw.feed),
          }),
        );
      }
      // An observation batch is one record sent and `rows` observations.
      stats.observations += observations.length + batchObservations;
      stats.deadLetters += dead.length;
      out.send(topics.observations, observations);
      out.send(topics.dlqTransform, dead);
    },
  });
  return { runner, stats };
}

const unknownFeed = (feed: string): DeadLetterReason => ({
  path: "feed",
  code: "unknown_feed",
  message: `no feed spec with id ${feed}`,
});

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
