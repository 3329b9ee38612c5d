import { RawBatchBuilder, type FeedSpec } from "../schemas/index.ts";
import { createProgress, type Progress } from "../runtime/progress.ts";
import type { SourceUnit } from "./connectors/types.ts";
import { ingestDeadLetter } from "./dead-letters.ts";
import { readRows, type ParsedRow } from "./formats/index.ts";
import { SourcePublisher } from "./source-publisher.ts";
import type { ProduceDeps, SourceOutcome } from "./produce-deps.ts";
import { toIso } from "./iso-vintage.ts";
import { produceCsvColumns } from "./produce-csv-columns.ts";

export type { ProduceDeps, SourceOutcome } from "./produce-deps.ts";

/** Sources smaller than this finish too fast for a progress line to help. */
const PROGRESS_MIN_BYTES = 4 * 1024 ** 2;

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
    const columnar = await produceCsvColumns(spec, unit, deps, progress);
    if (columnar !== undefined) return columnar;
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
  const source = { feed: spec.id, uri: unit.uri, checksum: unit.checksum, receivedAt };
  let seq = 0;
  let batch = new RawBatchBuilder({ ...source, seq });
  const publisher = new SourcePublisher(deps.topics.raw(spec.id), deps);
  const outcome: SourceOutcome = { records: 0, rejected: 0, deadLetters: 0 };
  const flush = async () => {
    const full = batch.rows > 0 ? batch.build() : undefined;
    if (full) batch = new RawBatchBuilder({ ...source, seq: ++seq });
    await publisher.publish(full);
  };
  for await (const row of rows) {
    let flushDead = false;
    const vintage = row.ok ? (spec.vintageColumn && toIso(row.fields[spec.vintageColumn])) || unit.publishedAt : "";
    if (row.ok && Date.parse(vintage) > Date.parse(receivedAt)) {
      // A vintage in the future would pin obs_latest and hide every later correction.
      const reason = { code: "future_vintage", message: `vintage ${vintage} is later than its receipt ${receivedAt}` };
      flushDead = publisher.deadLetter(
        ingestDeadLetter(spec, unit.uri, row.position, reason, receivedAt, row.fields, unit.checksum),
      );
      outcome.rejected++;
      outcome.deadLetters++;
    } else if (row.ok) {
      batch.add(row.position, row.fields, vintage);
      outcome.records++;
    } else {
      flushDead = publisher.deadLetter(
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
    if (batch.full || flushDead) await flush();
  }
  await flush();
  await publisher.finish();
  return outcome;
}
