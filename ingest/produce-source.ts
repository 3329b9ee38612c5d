import type { Bus, BusRecord } from "../bus/index.ts";
import {
  batchRecord,
  encodeRawBatch,
  HEADERS,
  RawBatchBuilder,
  rawRecordKey,
  type FeedSpec,
  type TopicNames,
} from "../schemas/index.ts";
import type { Logger } from "../runtime/logger.ts";
import { createProgress, type Progress } from "../runtime/progress.ts";
import type { SourceUnit } from "./connectors/types.ts";
import { ingestDeadLetter } from "./dead-letters.ts";
import { readRows, type ParsedRow } from "./formats/index.ts";

/** Dead letters gathered before they are published, so a source of nothing but bad rows still moves in steps. */
const DEAD_LETTERS_PER_PUBLISH = 5000;
/** Sources smaller than this finish too fast for a progress line to help. */
const PROGRESS_MIN_BYTES = 4 * 1024 ** 2;

export interface ProduceDeps {
  bus: Bus;
  topics: TopicNames;
  now: () => Date;
  logger: Logger;
}

export interface SourceOutcome {
  records: number;
  /** Rows dead-lettered. */
  rejected: number;
  /** Dead letters published: the rejected rows, plus one when the whole source was refused. */
  deadLetters: number;
  /** Set when nothing of the source could be read at all. */
  fatal?: string;
}

/** Reads one source and produces its rows to the feed's raw topic in batches, bad rows to the ingest dead-letter topic. */
export async function produceSource(spec: FeedSpec, unit: SourceUnit, deps: ProduceDeps): Promise<SourceOutcome> {
  if (unit.bytes > spec.limits.maxFileBytes) {
    const fatal = `the source is ${unit.bytes} bytes, over the feed's limit of ${spec.limits.maxFileBytes} (limits.maxFileBytes)`;
    await deps.bus.publish(deps.topics.dlqIngest, [
      ingestDeadLetter(
        spec,
        unit.uri,
        {},
        { code: "oversize_file", message: fatal },
        deps.now().toISOString(),
        null,
        unit.checksum,
      ),
    ]);
    return { records: 0, rejected: 0, deadLetters: 1, fatal };
  }
  const progress =
    unit.bytes >= PROGRESS_MIN_BYTES
      ? createProgress({ label: `${spec.id} ${unit.uri}`, unit: "rows", logger: deps.logger })
      : undefined;
  try {
    return await produceRows(
      spec,
      unit,
      readRows(() => unit.open(), spec),
      deps,
      progress,
    );
  } finally {
    progress?.done();
  }
}

/** Produces rows already read from a source; the batches keep memory bounded and let the bus apply back-pressure. */
export async function produceRows(
  spec: FeedSpec,
  unit: Omit<SourceUnit, "open" | "bytes">,
  rows: AsyncIterable<ParsedRow> | Iterable<ParsedRow>,
  deps: ProduceDeps,
  progress?: Progress,
): Promise<SourceOutcome> {
  const receivedAt = deps.now().toISOString();
  const topic = deps.topics.raw(spec.id);
  const source = { feed: spec.id, uri: unit.uri, checksum: unit.checksum, receivedAt };
  let seq = 0;
  let batch = new RawBatchBuilder({ ...source, seq });
  let dead: BusRecord[] = [];
  const outcome: SourceOutcome = { records: 0, rejected: 0, deadLetters: 0 };
  // One publish in flight: the next batch is read and parsed while the bus (and the warehouse behind it) takes this one.
  let inflight: Promise<void> = Promise.resolve();
  const flush = async () => {
    const records = batch.rows > 0 ? [rawBatchRecord(batch)] : [];
    if (batch.rows > 0) batch = new RawBatchBuilder({ ...source, seq: ++seq });
    const letters = dead;
    dead = [];
    await inflight;
    inflight = (async () => {
      if (records.length) await deps.bus.publish(topic, records);
      if (letters.length) await deps.bus.publish(deps.topics.dlqIngest, letters);
    })();
    // A failure is raised by the next flush or the final await, not as an unhandled rejection meanwhile.
    inflight.catch(() => {});
  };
  for await (const row of rows) {
    const vintage = row.ok ? (spec.vintageColumn && toIso(row.fields[spec.vintageColumn])) || unit.publishedAt : "";
    if (row.ok && Date.parse(vintage) > Date.parse(receivedAt)) {
      // A vintage in the future would pin obs_latest and hide every later correction.
      const reason = { code: "future_vintage", message: `vintage ${vintage} is later than its receipt ${receivedAt}` };
      dead.push(ingestDeadLetter(spec, unit.uri, row.position, reason, receivedAt, row.fields, unit.checksum));
      outcome.rejected++;
      outcome.deadLetters++;
    } else if (row.ok) {
      batch.add(row.position, row.fields, vintage);
      outcome.records++;
    } else {
      dead.push(
        ingestDeadLetter(
          spec,
          unit.uri,
          row.position,
          { code: row.code, message: row.reason },
          receivedAt,
          row.raw ?? null,
          unit.checksum,
        ),
      );
      outcome.rejected++;
      outcome.deadLetters++;
    }
    progress?.tick();
    if (batch.full || dead.length >= DEAD_LETTERS_PER_PUBLISH) await flush();
  }
  await flush();
  await inflight;
  // The caller archives the source next: what was published must be committed downstream first (embedded sinks gather).
  await deps.bus.flush?.();
  return outcome;
}

/** One raw batch as one bus record, keyed like its source's records so a source's batches stay in order. */
function rawBatchRecord(builder: RawBatchBuilder): BusRecord {
  const b = builder.build();
  return batchRecord(rawRecordKey(b), b, encodeRawBatch, {
    [HEADERS.feed]: b.feed,
    [HEADERS.checksum]: b.checksum,
  });
}

function toIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
