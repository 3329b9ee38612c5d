import { apacheArrow } from "../batch/apache-arrow.ts";
import {
  BatchDecodeError,
  fromIpc,
  metaOf,
  numberData,
  numbersOf,
  textData,
  textOf,
  toIpc,
  type Column,
  type Decoded,
} from "../batch/arrow-codec.ts";
import { ABSENT, TextColumnBuilder, type TextColumn } from "../batch/text-column.ts";

/**
 * A batch of records of one record feed, one source, as columns: what ingest hands load on `<prefix>.records.<feed>`.
 * Text-like columns (string, region, date, timestamp) are arrays of strings (null where a row has none); number and
 * integer columns are Float64Arrays (NaN where a row has none); pseudonyms are FixedTexts, one string for the batch
 * (a Kafka message carries them as text like any other column). Personal identifiers are already pseudonymised and
 * dropped columns are absent: nothing personal in clear ever travels. On Kafka it is one Arrow IPC stream (text as
 * dictionary vectors), `gongfu.batch` = `records/v1` in the schema metadata, like the raw and observation batches.
 */
export interface RecordBatch {
  readonly kind: "records";
  feed: string;
  uri: string;
  checksum: string;
  seq: number;
  receivedAt: string;
  /** When the department published the source: every record's vintage. */
  vintage: string;
  rows: number;
  /** The source's last batch: the loader derives once a source is whole, not from half of it. */
  last: boolean;
  /** The line of each record in its source. */
  lines: Int32Array;
  /** Column name → values, in the order of the feed's stored columns. */
  columns: Record<string, RecordValues>;
}

export type RecordValues =
  | { kind: "text"; values: (string | null)[] }
  | { kind: "number"; values: Float64Array }
  | FixedTexts;

/**
 * ASCII texts of one width, row after row in one string of `width` × rows characters: a batch's pseudonyms, which
 * would otherwise be a string per record on ingest's thread, held while the batch is sent and loaded (and so
 * promoted into V8's old generation), then handed to DuckDB one at a time. A row whose `nulls` byte is 1 has none;
 * its characters mean nothing.
 */
export interface FixedTexts {
  kind: "fixed";
  width: number;
  text: string;
  nulls?: Uint8Array;
}

/** How many rows a column holds. */
export function recordValuesRows(c: RecordValues): number {
  return c.kind === "fixed" ? c.text.length / c.width : c.values.length;
}

/** A FixedTexts column as a string per row (null where a row has none). */
export function fixedTextRows(c: FixedTexts): (string | null)[] {
  const out = new Array<string | null>(c.text.length / c.width);
  for (let i = 0; i < out.length; i++) out[i] = c.nulls?.[i] ? null : c.text.slice(i * c.width, (i + 1) * c.width);
  return out;
}

export const RECORD_BATCH_VERSION = "records/v1";
export const RECORD_BATCH_ROWS = 65_536;

export class RecordBatchDecodeError extends Error {
  override readonly name = "RecordBatchDecodeError";
}

/** A text column's strings as a dictionary column (a mostly distinct one, like an identifier, stops deduplicating). */
function dictionaryOf(values: readonly (string | null)[]): TextColumn {
  const builder = new TextColumnBuilder(values.length);
  for (const v of values) builder.push(v ?? undefined);
  return builder.build();
}

/** The row strings of a dictionary column: null where a row has none. */
function stringsOf(column: TextColumn): (string | null)[] {
  const out = new Array<string | null>(column.codes.length);
  for (let i = 0; i < out.length; i++) {
    const code = column.codes[i]!;
    out[i] = code === ABSENT ? null : column.values[code]!;
  }
  return out;
}

/**
 * A record batch as Arrow IPC: the stored columns in order, then `source_line`. Written by the same column codec as
 * the raw and observation batches (schemas/batch/arrow-codec.ts: one native UTF-8 encode per dictionary, the
 * narrowest index, validity bitmaps), not by Arrow's builders, which cost a call per value.
 */
export function encodeRecordBatch(b: RecordBatch): Uint8Array {
  const { Float64, Int32 } = apacheArrow();
  const columns: Column[] = Object.entries(b.columns).map(
    ([name, c]): Column => [
      name,
      true,
      c.kind === "number"
        ? numberData(new Float64(), c.values, Number.NaN)
        : textData(dictionaryOf(c.kind === "text" ? c.values : fixedTextRows(c))),
    ],
  );
  // Lines start at 1, so 0 marks none (as in the raw and observation batches); every record has one.
  columns.push(["source_line", true, numberData(new Int32(), b.lines, 0)]);
  return toIpc(columns, b.rows, {
    "gongfu.batch": RECORD_BATCH_VERSION,
    "gongfu.feed": b.feed,
    "gongfu.uri": b.uri,
    "gongfu.checksum": b.checksum,
    "gongfu.seq": String(b.seq),
    "gongfu.received_at": b.receivedAt,
    "gongfu.vintage": b.vintage,
    "gongfu.last": String(b.last),
  });
}

export function decodeRecordBatch(bytes: Uint8Array): RecordBatch {
  const { Float64 } = apacheArrow();
  let d: Decoded;
  try {
    d = fromIpc(bytes, RECORD_BATCH_VERSION);
  } catch (err) {
    if (err instanceof BatchDecodeError) throw new RecordBatchDecodeError(err.message, { cause: err });
    throw err;
  }
  const get = (key: string): string => {
    try {
      return metaOf(d, key);
    } catch {
      throw new RecordBatchDecodeError(`the record batch's metadata has no ${key}`);
    }
  };
  const columns: Record<string, RecordValues> = {};
  let lines = new Int32Array(0);
  try {
    d.names.forEach((name, i) => {
      const data = d.children[i];
      if (name === "source_line") lines = numbersOf(data, d.rows, name, (n) => new Int32Array(n), 0);
      else if (data !== undefined && Float64.isFloat(data.type))
        columns[name] = {
          kind: "number",
          values: numbersOf(data, d.rows, name, (n) => new Float64Array(n), Number.NaN),
        };
      else columns[name] = { kind: "text", values: stringsOf(textOf(data, d.rows, name)) };
    });
  } catch (err) {
    if (err instanceof BatchDecodeError) throw new RecordBatchDecodeError(err.message, { cause: err });
    throw err;
  }
  return {
    kind: "records",
    feed: get("gongfu.feed"),
    uri: get("gongfu.uri"),
    checksum: get("gongfu.checksum"),
    seq: Number(get("gongfu.seq")),
    receivedAt: get("gongfu.received_at"),
    vintage: get("gongfu.vintage"),
    rows: d.rows,
    last: get("gongfu.last") === "true",
    lines,
    columns,
  };
}

/** The record batch a delivered value holds: the object (embedded bus) or decoded from Arrow bytes (Kafka). */
export function recordBatchOf(value: unknown, headers: Readonly<Record<string, string>> | undefined): RecordBatch {
  if (value instanceof Uint8Array && headers?.["gongfu-encoding"] === "arrow-ipc") return decodeRecordBatch(value);
  if (typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "records")
    return value as RecordBatch;
  throw new RecordBatchDecodeError("the message is not a record batch");
}
