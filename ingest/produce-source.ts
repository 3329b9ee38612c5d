import type { Bus, BusRecord } from "../bus/index.ts";
import { HEADERS, rawRecordKey, formatPosition, type DeadLetter, type FeedSpec, type RawRecord, type TopicNames } from "../schemas/index.ts";
import type { SourceUnit } from "./connectors/types.ts";
import { readRows } from "./formats/index.ts";

const BATCH = 1000;

export interface SourceOutcome {
  records: number;
  rejected: number;
  /** Set when nothing of the source could be read at all. */
  fatal?: string;
}

/** Reads one source and produces its rows to the feed's raw topic in batches, bad rows to the ingest dead-letter topic. */
export async function produceSource(spec: FeedSpec, unit: SourceUnit, bus: Bus, topics: TopicNames, now: () => Date): Promise<SourceOutcome> {
  const receivedAt = now().toISOString();
  const topic = topics.raw(spec.id);
  let batch: BusRecord[] = [];
  let dead: BusRecord[] = [];
  const outcome: SourceOutcome = { records: 0, rejected: 0 };
  const flush = async () => {
    if (batch.length) await bus.publish(topic, batch);
    if (dead.length) await bus.publish(topics.dlqIngest, dead);
    batch = [];
    dead = [];
  };
  if (unit.bytes > spec.limits.maxFileBytes) {
    outcome.fatal = `file is ${unit.bytes} bytes, over the feed's limit of ${spec.limits.maxFileBytes}`;
  } else {
    for await (const row of readRows(unit.open(), spec)) {
      const source = { feed: spec.id, uri: unit.uri, position: row.position };
      if (row.ok) {
        const vintage = (spec.vintageColumn && toIso(row.fields[spec.vintageColumn])) || unit.publishedAt;
        const value: RawRecord = { feed: spec.id, source, checksum: unit.checksum, receivedAt, vintage, fields: row.fields };
        batch.push({ key: rawRecordKey(value), value, headers: { [HEADERS.feed]: spec.id, [HEADERS.checksum]: unit.checksum, [HEADERS.position]: formatPosition(row.position) } });
        outcome.records++;
      } else {
        const letter: DeadLetter = { stage: "ingest", feed: spec.id, source, payload: row.raw ?? null, reasons: [{ code: row.code, message: row.reason }], at: receivedAt };
        dead.push({ key: `${spec.id}|${unit.uri}`, value: letter, headers: { [HEADERS.feed]: spec.id, [HEADERS.checksum]: unit.checksum } });
        outcome.rejected++;
      }
      if (batch.length + dead.length >= BATCH) await flush();
    }
  }
  if (outcome.fatal) {
    const letter: DeadLetter = { stage: "ingest", feed: spec.id, source: { feed: spec.id, uri: unit.uri, position: {} }, payload: null, reasons: [{ code: "file_rejected", message: outcome.fatal }], at: receivedAt };
    dead.push({ key: `${spec.id}|${unit.uri}`, value: letter });
  }
  await flush();
  return outcome;
}

function toIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
