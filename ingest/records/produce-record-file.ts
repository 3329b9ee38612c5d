import type { Readable } from "node:stream";
import type { Bus, BusRecord } from "../../bus/index.ts";
import {
  encodeRecordBatch,
  HEADERS,
  RECORD_BATCH_ROWS,
  type Catalog,
  type DeadLetter,
  type DeadLetterReason,
  type RecordBatch,
  type RecordFeedSpec,
  type TopicNames,
} from "../../schemas/index.ts";
import { readCsv } from "../formats/csv.ts";
import type { Pseudonymiser } from "./pseudonymise.ts";
import { createRecordColumns, redactedPayload, type RecordCellColumn } from "./record-columns.ts";
import { openRecordCsv } from "./record-csv-columns.ts";

/** Reader failures whose message names columns of the header only, never a record's values. */
const HEADER_CODES = new Set(["header_mismatch", "duplicate_column"]);

export interface RecordSource {
  uri: string;
  /** The file on disk, when there is one: a plain UTF-8 CSV is then read by DuckDB (record-csv-columns.ts). */
  path?: string;
  checksum: string;
  vintage: string;
  open(): Readable;
}

export interface RecordFileDeps {
  bus: Bus;
  topics: TopicNames;
  catalog: Catalog;
  pseudonymise: Pseudonymiser;
  now: () => Date;
}

export interface RecordFileStats {
  records: number;
  rejected: number;
  batches: number;
}

function deadLetter(
  spec: RecordFeedSpec,
  uri: string,
  line: number,
  reasons: readonly DeadLetterReason[],
  payload: unknown,
  at: string,
): BusRecord {
  const value: DeadLetter = {
    stage: "ingest",
    feed: spec.id,
    source: { feed: spec.id, uri, position: { line } },
    payload,
    reasons: [...reasons],
    at,
  };
  return { key: `${spec.id}|${uri}`, value, headers: { [HEADERS.feed]: spec.id, [HEADERS.position]: `line ${line}` } };
}

/** The dead letter of a file refused whole, before any of its records was read. */
export function refusedFile(feed: string, uri: string, reason: DeadLetterReason, at: string): BusRecord {
  const value: DeadLetter = {
    stage: "ingest",
    feed,
    source: { feed, uri, position: {} },
    payload: null,
    reasons: [reason],
    at,
  };
  return { key: `${feed}|${uri}`, value, headers: { [HEADERS.feed]: feed } };
}

/**
 * Reads one record file, produces its records as batches of at most RECORD_BATCH_ROWS to `<prefix>.records.<feed>`
 * and each refused record as a dead letter with its personal values redacted. Batches are numbered from 0, so a
 * file produced again after a crash gives the same (checksum, seq) pairs and the loader takes each once.
 */
export async function produceRecordFile(
  spec: RecordFeedSpec,
  source: RecordSource,
  deps: RecordFileDeps,
): Promise<RecordFileStats> {
  const topic = deps.topics.records(spec.id);
  const columns = createRecordColumns(spec, deps.catalog);
  /** The columns with every identifier replaced by its pseudonym: nothing in clear is ever sent. */
  const pseudonymised = async (taken: RecordBatch["columns"]): Promise<RecordBatch["columns"]> => {
    const out = { ...taken };
    for (const name of columns.identifiers) {
      const column = taken[name];
      if (column === undefined) continue;
      if (column.kind !== "text") throw new TypeError(`identifier column ${name} is not text`);
      out[name] = await deps.pseudonymise.many(column.values);
    }
    return out;
  };
  const stats: RecordFileStats = { records: 0, rejected: 0, batches: 0 };
  const receivedAt = deps.now().toISOString();
  let dead: BusRecord[] = [];
  // One batch is held back, so the source's last batch can say it is the last; meanwhile its identifiers are
  // pseudonymised (on a worker thread for a full batch) while the next batch is read.
  let held: Promise<RecordBatch> | undefined;
  const send = async (batch: RecordBatch) => {
    const key = `${spec.id}|${source.checksum.slice(0, 16)}`;
    await deps.bus.publish(topic, [
      {
        key,
        value: batch,
        headers: { [HEADERS.feed]: spec.id, [HEADERS.checksum]: source.checksum },
        binary: { encoding: "arrow-ipc", bytes: () => encodeRecordBatch(batch) },
      },
    ]);
  };
  const publish = async (end: boolean) => {
    if (columns.rows > 0) {
      const taken = columns.take();
      const seq = stats.batches;
      const next = pseudonymised(taken.columns).then(
        (clear): RecordBatch => ({
          kind: "records",
          feed: spec.id,
          uri: source.uri,
          checksum: source.checksum,
          seq,
          receivedAt,
          vintage: source.vintage,
          last: false,
          ...taken,
          columns: clear,
        }),
      );
      // Awaited below or at the next batch; marked handled now so a failure while the previous batch is sent is not
      // reported as unhandled before it is awaited.
      next.catch(() => {});
      if (held) await send(await held);
      held = next;
      stats.batches++;
      stats.records += taken.rows;
    }
    if (end && held) await send({ ...(await held), last: true });
    if (dead.length > 0) await deps.bus.publish(deps.topics.dlqIngest, dead);
    dead = [];
  };
  const refuse = async (line: number, reasons: readonly DeadLetterReason[], fields: Record<string, string>) => {
    dead.push(deadLetter(spec, source.uri, line, reasons, redactedPayload(spec, fields), deps.now().toISOString()));
    stats.rejected++;
  };
  const fast = source.path === undefined ? "no file on disk" : await openRecordCsv(spec, source.path, columns.names);
  if (typeof fast !== "string") {
    // DuckDB's columns, column by column: no object per record or cell. A chunk is cut where a batch fills, so
    // batches end where the row path ends them.
    const { file, at, header } = fast;
    let line = fast.headerLine;
    for await (const chunk of file.chunks()) {
      const cells = at.map((j): RecordCellColumn => {
        const column = j < 0 ? undefined : chunk.columns[j]!;
        return column instanceof Int32Array ? { codes: column, dictionary: file.dictionaries[j]! } : column;
      });
      for (let start = 0; start < chunk.rows; ) {
        const rows = Math.min(chunk.rows - start, RECORD_BATCH_ROWS - columns.rows);
        for (const { row, reasons } of columns.addChunk(cells, start, rows, line + 1 + start)) {
          const fields: Record<string, string> = {};
          for (const [j, name] of header.entries()) {
            const column = chunk.columns[j]!;
            fields[name] = column instanceof Int32Array ? file.dictionaries[j]![column[row]!]! : column[row]!;
          }
          await refuse(line + 1 + row, reasons, fields);
        }
        start += rows;
        if (columns.rows >= RECORD_BATCH_ROWS) await publish(false);
      }
      line += chunk.rows;
    }
    if (line - fast.headerLine !== file.rows)
      throw new Error(`${source.uri}: DuckDB gave ${line - fast.headerLine} of the ${file.rows} records it counted`);
  } else {
    await readWithJavaScript();
  }
  async function readWithJavaScript(): Promise<void> {
    const format = spec.format;
    const rows = readCsv(source.open(), {
      encoding: format.encoding,
      delimiter: format.delimiter,
      skipLines: format.skipLines,
      maxRecordBytes: spec.limits.maxRecordBytes,
      needs: {
        all: Object.entries(spec.records.columns)
          .filter(([, c]) => !c.optional)
          .map(([n]) => n),
        anyOf: [],
      },
    });
    for await (const row of rows) {
      const line = row.position.line ?? 0;
      if (!row.ok) {
        // A line that cannot be read may hold anything: its text never goes into the dead letter.
        const message = HEADER_CODES.has(row.code) ? row.reason : `the line could not be read as CSV (${row.code})`;
        dead.push(deadLetter(spec, source.uri, line, [{ code: row.code, message }], null, deps.now().toISOString()));
        stats.rejected++;
        continue;
      }
      const reasons = columns.add(row.fields, line);
      if (reasons.length > 0) await refuse(line, reasons, row.fields);
      if (columns.rows >= RECORD_BATCH_ROWS) await publish(false);
    }
  }
  await publish(true);
  return stats;
}
