import type { Data, DataType, Dictionary, Float64, Int32, Table, Utf8 } from "apache-arrow";
import { apacheArrow } from "./apache-arrow.ts";
import type { ObservationBatch } from "./observation-batch.ts";
import type { PositionColumns } from "./positions.ts";
import type { RawBatch } from "./raw-batch.ts";
import { ABSENT, type TextColumn } from "./text-column.ts";

/**
 * Batches on Kafka: one message, one Arrow IPC stream holding one record batch. Text columns are Arrow dictionary
 * vectors (Int32 codes into a Utf8 dictionary), so any Arrow library reads them (pyarrow as pandas Categoricals).
 * Provenance that is the same for the whole batch sits in the schema's metadata. docs/BATCHES.md lists the schemas.
 * `gongfu.batch` names the kind and version; a reader refuses a version it does not know.
 */
export const ARROW_ENCODING = "arrow-ipc";
export const RAW_BATCH_VERSION = "raw/v1";
export const OBSERVATION_BATCH_VERSION = "observations/v1";

export class BatchDecodeError extends Error {
  override readonly name = "BatchDecodeError";
}

/**
 * A text column as an Arrow dictionary vector: the distinct strings as Utf8 and a code per row, in the narrowest
 * signed integer that holds the dictionary (Int8 up to 127 entries, Int16 up to 32,767, else Int32). Most columns
 * have a few dozen values, so their codes take one byte a row instead of four on the bus; every Arrow reader
 * accepts any index width.
 */
export function textData(column: TextColumn): Data {
  const { Dictionary, Int8, Int16, Int32, makeData, makeVector, Utf8 } = apacheArrow();
  const n = column.codes.length;
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  const codes = column.codes;
  for (let i = 0; i < n; i++) {
    if (codes[i] === ABSENT) nulls++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  const entries = column.values.length;
  const narrow =
    entries <= 0x7f
      ? { type: new Dictionary(new Utf8(), new Int8()), data: new Int8Array(codes) }
      : entries <= 0x7fff
        ? { type: new Dictionary(new Utf8(), new Int16()), data: new Int16Array(codes) }
        : { type: new Dictionary(new Utf8(), new Int32()), data: codes };
  return makeData({
    type: narrow.type as Dictionary<Utf8, Int32>,
    length: n,
    nullCount: nulls,
    ...(nulls > 0 ? { nullBitmap: bitmap } : {}),
    // Absent rows keep code -1 under the null bit: Arrow readers never look at a null slot's code.
    data: narrow.data as Int32Array,
    dictionary: makeVector(utf8Data(column.values)),
  });
}

/**
 * A Utf8 vector's data built at once: one native encode of all the strings joined, offsets from each string's
 * UTF-8 length. Arrow's builder encodes string by string, which was most of the cost of writing a batch.
 */
function utf8Data(values: readonly string[]): Data<Utf8> {
  const { makeData, Utf8, vectorFromArray } = apacheArrow();
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = bytes;
    bytes += utf8Length(values[i]!);
  }
  offsets[n] = bytes;
  const data = Buffer.from(values.join(""), "utf8");
  // Lone surrogates at the ends of two neighbours would pair up in the joined text: Arrow's builder then, as before.
  if (data.length !== bytes) return vectorFromArray(values as string[], new Utf8()).data[0]!;
  return makeData({ type: new Utf8(), length: n, nullCount: 0, valueOffsets: offsets, data });
}

/** Bytes of a string in UTF-8 as Buffer.from writes it (a lone surrogate becomes U+FFFD, three bytes). */
function utf8Length(s: string): number {
  let b = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length && (s.charCodeAt(k + 1) & 0xfc00) === 0xdc00) {
      b += 4;
      k++;
    } else b += 3;
  }
  return b;
}

/** The strings of a Utf8 vector: one native decode when the bytes are ASCII, else one per string. */
function utf8Values(data: Data | undefined): string[] {
  if (!data) return [];
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const n = data.length;
  const base = offsets[data.offset] ?? 0;
  const end = offsets[data.offset + n] ?? base;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString("latin1", base, end);
  const ascii = !/[^\x00-\x7f]/.test(text);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const a = offsets[data.offset + i]!;
    const b = offsets[data.offset + i + 1]!;
    out[i] = ascii ? text.slice(a - base, b - base) : buf.toString("utf8", a, b);
  }
  return out;
}

/** Whether row i of an Arrow column is valid, read from its null bitmap (getValid checks the type on every call). */
function validity(data: Data): (i: number) => boolean {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || !bitmap || bitmap.length === 0) return () => true;
  const offset = data.offset;
  return (i) => ((bitmap[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1) === 1;
}

/** A number column where `absent` marks rows without a value: written as Arrow nulls. */
export function numberData<T extends Int32 | Float64>(
  type: T,
  values: Int32Array | Float64Array,
  absent: number,
): Data<T> {
  const { makeData } = apacheArrow();
  const n = values.length;
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  const isAbsent = Number.isNaN(absent) ? Number.isNaN : (v: number) => v === absent;
  for (let i = 0; i < n; i++) {
    if (isAbsent(values[i]!)) nulls++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return makeData({
    type,
    length: n,
    nullCount: nulls,
    ...(nulls > 0 ? { nullBitmap: bitmap } : {}),
    data: values,
  } as never) as unknown as Data<T>;
}

/** A column to write: its name, whether it may hold nulls, and its data (whose type the field takes). */
export type Column = readonly [name: string, nullable: boolean, data: Data];

function positionColumns(p: PositionColumns): Column[] {
  const { Float64, Int32 } = apacheArrow();
  return [
    ["source_line", true, numberData(new Int32(), p.line, 0)],
    ["source_row", true, numberData(new Int32(), p.row, 0)],
    ["source_offset", true, numberData(new Float64(), p.offset, ABSENT)],
    ["source_sheet", true, textData(p.sheet)],
    ["source_column", true, textData(p.column)],
  ];
}

export function toIpc(columns: readonly Column[], rows: number, metadata: Record<string, string>): Uint8Array {
  const { Field, makeData, RecordBatch, Schema, Struct, Table, tableToIPC } = apacheArrow();
  // Each field takes its data's type: a dictionary's index width (and id) is the one its data was written with.
  const fields = columns.map(([name, nullable, data]) => new Field(name, data.type, nullable));
  const schema = new Schema(fields, new Map(Object.entries(metadata)));
  const children = columns.map(([, , data]) => data);
  const struct = makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children });
  return tableToIPC(new Table([new RecordBatch(schema, struct)]), "stream");
}

/** A RawBatch as Arrow IPC: the source's columns first, in order, then vintage and the position columns. */
export function encodeRawBatch(b: RawBatch): Uint8Array {
  const columns: Column[] = [
    ...b.fields.map((f): Column => [f.name, true, textData(f.column)]),
    ["vintage", false, textData(b.vintage)],
    ...positionColumns(b.position),
  ];
  return toIpc(columns, b.rows, {
    "gongfu.batch": RAW_BATCH_VERSION,
    "gongfu.feed": b.feed,
    "gongfu.uri": b.uri,
    "gongfu.checksum": b.checksum,
    "gongfu.seq": String(b.seq),
    "gongfu.received_at": b.receivedAt,
    "gongfu.field_count": String(b.fields.length),
  });
}

/** An ObservationBatch as Arrow IPC. */
export function encodeObservationBatch(b: ObservationBatch): Uint8Array {
  const { Float64 } = apacheArrow();
  const columns: Column[] = [
    ["indicator_code", false, textData(b.indicator)],
    ["region_code", false, textData(b.region)],
    ["period", false, textData(b.period)],
    ["unit", false, textData(b.unit)],
    // Null where the cell held a missing-value marker: a row that records "not reported", not an observation.
    ["value", true, numberData(new Float64(), b.value, Number.NaN)],
    ["vintage", false, textData(b.vintage)],
    ...positionColumns(b.position),
  ];
  return toIpc(columns, b.rows, {
    "gongfu.batch": OBSERVATION_BATCH_VERSION,
    "gongfu.feed": b.feed,
    "gongfu.uri": b.uri,
    "gongfu.checksum": b.checksum,
    "gongfu.seq": String(b.seq),
    "gongfu.ingested_at": b.ingestedAt,
  });
}

export interface Decoded {
  meta: ReadonlyMap<string, string>;
  rows: number;
  names: readonly string[];
  children: readonly Data[];
}

export function fromIpc(bytes: Uint8Array, version: string): Decoded {
  let table: Table;
  try {
    table = apacheArrow().tableFromIPC(bytes);
  } catch (cause) {
    throw new BatchDecodeError(`not an Arrow IPC stream: ${(cause as Error).message}`, { cause });
  }
  const meta = table.schema.metadata;
  const got = meta.get("gongfu.batch");
  if (got !== version) throw new BatchDecodeError(`expected a ${version} batch, got ${got ?? "no gongfu.batch"}`);
  if (table.batches.length !== 1) throw new BatchDecodeError(`expected one record batch, got ${table.batches.length}`);
  const batch = table.batches[0]!;
  return { meta, rows: batch.numRows, names: table.schema.fields.map((f) => f.name), children: batch.data.children };
}

export function metaOf(d: Decoded, key: string): string {
  const v = d.meta.get(key);
  if (v === undefined) throw new BatchDecodeError(`the batch's metadata has no ${key}`);
  return v;
}

export function textOf(data: Data | undefined, rows: number, name: string): TextColumn {
  if (!data || !DataTypeIs.dictionary(data.type) || data.length !== rows)
    throw new BatchDecodeError(`column ${name} is not a text dictionary of ${rows} rows`);
  const chunks = data.dictionary?.data ?? [];
  // One dictionary batch per column is what encode writes; anything else is read the general way.
  const values = chunks.length === 1 ? utf8Values(chunks[0]) : ((data.dictionary?.toArray() ?? []) as string[]);
  const codes = new Int32Array(rows);
  // Int8, Int16 or Int32 codes (textData writes the narrowest): a typed array's set widens them.
  const indices: unknown = data.values;
  if (!(indices instanceof Int8Array || indices instanceof Int16Array || indices instanceof Int32Array))
    throw new BatchDecodeError(`column ${name}: dictionary codes must be Int8, Int16 or Int32`);
  codes.set(indices.subarray(0, rows));
  const valid = validity(data);
  if (data.nullCount > 0) for (let i = 0; i < rows; i++) if (!valid(i)) codes[i] = ABSENT;
  for (let i = 0; i < rows; i++)
    if (codes[i]! >= values.length || codes[i]! < ABSENT) throw new BatchDecodeError(`column ${name}: bad code`);
  return { values, codes };
}

export function numbersOf<T extends Int32Array | Float64Array>(
  data: Data | undefined,
  rows: number,
  name: string,
  make: (n: number) => T,
  absent: number,
): T {
  if (!data || data.length !== rows) throw new BatchDecodeError(`column ${name} does not have ${rows} rows`);
  const out = make(rows);
  out.set((data.values as T).subarray(0, rows));
  const valid = validity(data);
  if (data.nullCount > 0) for (let i = 0; i < rows; i++) if (!valid(i)) out[i] = absent;
  return out;
}

const DataTypeIs = {
  dictionary: (t: DataType): boolean => apacheArrow().Dictionary.isDictionary(t),
};

function positionsOf(children: readonly Data[], from: number, rows: number): PositionColumns {
  return {
    line: numbersOf(children[from], rows, "source_line", (n) => new Int32Array(n), 0),
    row: numbersOf(children[from + 1], rows, "source_row", (n) => new Int32Array(n), 0),
    offset: numbersOf(children[from + 2], rows, "source_offset", (n) => new Float64Array(n), ABSENT),
    sheet: textOf(children[from + 3], rows, "source_sheet"),
    column: textOf(children[from + 4], rows, "source_column"),
  };
}

export function decodeRawBatch(bytes: Uint8Array): RawBatch {
  const d = fromIpc(bytes, RAW_BATCH_VERSION);
  const count = Number(metaOf(d, "gongfu.field_count"));
  const names = d.children.length;
  if (!Number.isInteger(count) || count < 0 || names !== count + 6)
    throw new BatchDecodeError(`a raw batch of ${count} source columns must have ${count + 6} columns, not ${names}`);
  return {
    kind: "raw",
    feed: metaOf(d, "gongfu.feed"),
    uri: metaOf(d, "gongfu.uri"),
    checksum: metaOf(d, "gongfu.checksum"),
    seq: Number(metaOf(d, "gongfu.seq")),
    receivedAt: metaOf(d, "gongfu.received_at"),
    rows: d.rows,
    fields: d.names.slice(0, count).map((name, i) => ({ name, column: textOf(d.children[i], d.rows, name) })),
    vintage: textOf(d.children[count], d.rows, "vintage"),
    position: positionsOf(d.children, count + 1, d.rows),
  };
}

export function decodeObservationBatch(bytes: Uint8Array): ObservationBatch {
  const d = fromIpc(bytes, OBSERVATION_BATCH_VERSION);
  if (d.children.length !== 11)
    throw new BatchDecodeError(`an observation batch has 11 columns, not ${d.children.length}`);
  const c = d.children;
  const value = numbersOf(c[4], d.rows, "value", (n) => new Float64Array(n), Number.NaN);
  let missing = 0;
  for (let i = 0; i < d.rows; i++) if (Number.isNaN(value[i]!)) missing++;
  return {
    kind: "observations",
    feed: metaOf(d, "gongfu.feed"),
    uri: metaOf(d, "gongfu.uri"),
    checksum: metaOf(d, "gongfu.checksum"),
    seq: Number(metaOf(d, "gongfu.seq")),
    ingestedAt: metaOf(d, "gongfu.ingested_at"),
    rows: d.rows,
    indicator: textOf(c[0], d.rows, "indicator_code"),
    region: textOf(c[1], d.rows, "region_code"),
    period: textOf(c[2], d.rows, "period"),
    unit: textOf(c[3], d.rows, "unit"),
    value,
    missing,
    vintage: textOf(c[5], d.rows, "vintage"),
    position: positionsOf(c, 6, d.rows),
  };
}
