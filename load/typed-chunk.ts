import bindings from "@duckdb/node-bindings";
import { DOUBLE, DuckDBDataChunk, INTEGER, type DuckDBType } from "@duckdb/node-api";

/** DuckDB's vector size: the most rows one data chunk holds. */
export const CHUNK_ROWS = 2048;

export type TypedKind = "integer" | "double";

/**
 * Integer and double columns of up to CHUNK_ROWS rows, filled in typed arrays and handed to DuckDB as a data chunk
 * with one copy per column.
 *
 * Why not DuckDBDataChunk.setColumnValues: it writes value by value, and every value of a column that holds a null
 * sets a validity bit through BigInt arithmetic, which made several objects per cell (a CSV's position columns are
 * null on every row: 0.3-0.4 s per 10^6 observations in the loader's profile, with the per-value checks another
 * 0.2 s). Here a column is copied into the vector's memory at once (the C API's copy, as the vector's own flush
 * does), and its validity mask, when it has a null, is built a 64-row word at a time.
 */
export class TypedColumns {
  readonly kinds: readonly TypedKind[];
  readonly values: (Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>)[];
  /** 1 where a row's value is null; cleared by `clear`. */
  readonly nulls: Uint8Array[];
  private readonly types: DuckDBType[];
  private readonly validity = new BigUint64Array(CHUNK_ROWS / 64);

  constructor(kinds: readonly TypedKind[]) {
    this.kinds = kinds;
    this.values = kinds.map((k) => (k === "integer" ? new Int32Array(CHUNK_ROWS) : new Float64Array(CHUNK_ROWS)));
    this.nulls = kinds.map(() => new Uint8Array(CHUNK_ROWS));
    this.types = kinds.map((k) => (k === "integer" ? INTEGER : DOUBLE));
  }

  /** Marks every row valid again, before the next chunk is filled. */
  clear(): void {
    for (const n of this.nulls) n.fill(0);
  }

  /** Sets row `row` of column `column` to `value`, or null. */
  put(column: number, row: number, value: number | null | undefined): void {
    if (value === null || value === undefined) this.nulls[column]![row] = 1;
    else this.values[column]![row] = value;
  }

  /** The first `rows` rows as a new data chunk. Integers must fit INTEGER: the caller's ids and positions do. */
  toChunk(rows: number): DuckDBDataChunk {
    if (rows > CHUNK_ROWS) throw new RangeError(`a data chunk holds at most ${CHUNK_ROWS} rows, not ${rows}`);
    const chunk = DuckDBDataChunk.create(this.types, rows);
    for (let c = 0; c < this.kinds.length; c++)
      copyColumn(chunk, c, this.values[c]!, 0, rows, this.nulls[c]!, this.validity);
    return chunk;
  }
}

/**
 * Copies rows `start` to `start + rows - 1` of `values` into column `column` of `chunk` (an INTEGER column for an
 * Int32Array, DOUBLE for a Float64Array) in one native copy; a row whose `nulls` byte is 1 becomes null. `validity`
 * is scratch room for the mask (CHUNK_ROWS / 64 words).
 */
export function copyColumn(
  chunk: DuckDBDataChunk,
  column: number,
  values: Int32Array | Float64Array,
  start: number,
  rows: number,
  nulls: Uint8Array | undefined,
  validity: BigUint64Array<ArrayBuffer> = new BigUint64Array(CHUNK_ROWS / 64),
): void {
  const vector = bindings.data_chunk_get_vector(chunk.chunk, column);
  const bytes = values.BYTES_PER_ELEMENT;
  bindings.copy_data_to_vector(
    vector,
    0,
    values.buffer as ArrayBuffer,
    values.byteOffset + start * bytes,
    rows * bytes,
  );
  if (nulls === undefined || nulls.subarray(0, rows).indexOf(1) < 0) return;
  // The mask is 64-bit words, row i at bit i % 64 of word i / 64, set when valid. Built in 32-bit halves and
  // joined once per word (32 BigInts per chunk, not one per row), so it holds whatever the byte order.
  const words = Math.ceil(rows / 64);
  for (let w = 0; w < words; w++) {
    let low = 0;
    let high = 0;
    for (let b = 0; b < 32; b++) {
      const i = w * 64 + b;
      if (i >= rows || nulls[i] === 0) low |= 1 << b;
      if (i + 32 >= rows || nulls[i + 32] === 0) high |= 1 << b;
    }
    validity[w] = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  }
  bindings.vector_ensure_validity_writable(vector);
  bindings.copy_data_to_vector_validity(vector, 0, validity.buffer, 0, words * 8);
}
