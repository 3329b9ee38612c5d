import type { Bus, BusRecord } from "../bus/index.ts";
import {
  HEADERS,
  rawRecordKey,
  formatPosition,
  type FeedSpec,
  type RawRecord,
  type TopicNames,
} from "../schemas/index.ts";
import type { Logger } from "../runtime/logger.ts";
import { createProgress, type Progress } from "../runtime/progress.ts";
import type { SourceUnit } from "./connectors/types.ts";
import { ingestDeadLetter } from "./dead-letters.ts";
import { readRows, type ParsedRow } from "./formats/index.ts";

/** Records per publish, one in flight while the next is read: on Kafka the bus cuts each into requests of bounded size, so a batch only bounds memory. */
const BATCH = { kafka: 5000, embedded: 20_000 } as const;
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
  let batch: BusRecord[] = [];
  let dead: BusRecord[] = [];
  const outcome: SourceOutcome = { records: 0, rejected: 0, deadLetters: 0 };
  const size = BATCH[deps.bus.kind];
  // One publish in flight: the next batch is read and parsed while the bus (and the warehouse behind it) takes this one.
  let inflight: Promise<void> = Promise.resolve();
  const flush = async () => {
    const records = batch;
    const letters = dead;
    batch = [];
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
      const value: RawRecord = {
        feed: spec.id,
        source: { feed: spec.id, uri: unit.uri, position: row.position },
        checksum: unit.checksum,
        receivedAt,
        vintage,
        fields: row.fields,
      };
      batch.push({
        key: rawRecordKey(value),
        value,
        headers: {
          [HEADERS.feed]: spec.id,
          [HEADERS.checksum]: unit.checksum,
          [HEADERS.position]: formatPosition(row.position),
        },
      });
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
    if (batch.length + dead.length >= size) await flush();
  }
  await flush();
  await inflight;
  // The caller archives the source next: what was published must be committed downstream first (embedded sinks gather).
  await deps.bus.flush?.();
  return outcome;
}

function toIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
