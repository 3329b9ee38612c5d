import {
  Dictionary,
  Field,
  Float64,
  Int32,
  DataType,
  Schema,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
  type Vector,
} from "apache-arrow";

/**
 * A batch of records of one record feed, one source, as columns: what ingest hands load on `<prefix>.records.<feed>`.
 * Text-like columns (string, region, date, timestamp) are arrays of strings (null where a row has none); number and
 * integer columns are Float64Arrays (NaN where a row has none). Personal identifiers are already pseudonymised and
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

export type RecordValues = { kind: "text"; values: (string | null)[] } | { kind: "number"; values: Float64Array };

export const RECORD_BATCH_VERSION = "records/v1";
export const RECORD_BATCH_ROWS = 65_536;

export class RecordBatchDecodeError extends Error {
  override readonly name = "RecordBatchDecodeError";
}

const TEXT = (): Dictionary<Utf8, Int32> => new Dictionary(new Utf8(), new Int32());

function vectorOf(column: RecordValues): Vector {
  if (column.kind === "text") return vectorFromArray(column.values, TEXT());
  return vectorFromArray(
    Array.from(column.values, (v) => (Number.isNaN(v) ? null : v)),
    new Float64(),
  );
}

/** A record batch as Arrow IPC: the stored columns in order, then `source_line`. */
export function encodeRecordBatch(b: RecordBatch): Uint8Array {
  const names = Object.keys(b.columns);
  const vectors: Vector[] = names.map((n) => vectorOf(b.columns[n]!));
  vectors.push(vectorFromArray(Array.from(b.lines), new Int32()));
  const fields = [...names, "source_line"].map((n, i) => new Field(n, vectors[i]!.type as DataType, true));
  const metadata = new Map(
    Object.entries({
      "gongfu.batch": RECORD_BATCH_VERSION,
      "gongfu.feed": b.feed,
      "gongfu.uri": b.uri,
      "gongfu.checksum": b.checksum,
      "gongfu.seq": String(b.seq),
      "gongfu.received_at": b.receivedAt,
      "gongfu.vintage": b.vintage,
      "gongfu.last": String(b.last),
    }),
  );
  const data = Object.fromEntries([...names, "source_line"].map((n, i) => [n, vectors[i]!]));
  const table = new Table(data);
  return tableToIPC(new Table(new Schema(fields, metadata), table.batches), "stream");
}

export function decodeRecordBatch(bytes: Uint8Array): RecordBatch {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (cause) {
    throw new RecordBatchDecodeError("not an Arrow IPC stream", { cause });
  }
  const meta = table.schema.metadata;
  const get = (key: string): string => {
    const v = meta.get(key);
    if (v === undefined) throw new RecordBatchDecodeError(`the record batch's metadata has no ${key}`);
    return v;
  };
  const version = get("gongfu.batch");
  if (version !== RECORD_BATCH_VERSION)
    throw new RecordBatchDecodeError(`batch version ${version} is not ${RECORD_BATCH_VERSION}; upgrade the loader`);
  const columns: Record<string, RecordValues> = {};
  let lines = new Int32Array(0);
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name);
    if (!vector) continue;
    if (field.name === "source_line") lines = Int32Array.from(vector.toArray() as ArrayLike<number>);
    else if (DataType.isFloat(field.type))
      columns[field.name] = {
        kind: "number",
        values: Float64Array.from({ length: vector.length }, (_, i) => (vector.get(i) as number | null) ?? Number.NaN),
      };
    else
      columns[field.name] = {
        kind: "text",
        values: Array.from({ length: vector.length }, (_, i) => vector.get(i) as string | null),
      };
  }
  return {
    kind: "records",
    feed: get("gongfu.feed"),
    uri: get("gongfu.uri"),
    checksum: get("gongfu.checksum"),
    seq: Number(get("gongfu.seq")),
    receivedAt: get("gongfu.received_at"),
    vintage: get("gongfu.vintage"),
    rows: table.numRows,
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
