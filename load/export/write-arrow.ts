import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import type * as Arrow from "apache-arrow";
import { apacheArrow } from "../../schemas/index.ts";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import type { ColumnKind, PlannedColumn } from "./column-plan.ts";
import { readColumnChunks } from "./read-chunks.ts";

function arrowType(kind: ColumnKind): Arrow.DataType {
  const arrow = apacheArrow();
  switch (kind) {
    case "bool":
      return new arrow.Bool();
    case "int32":
      return new arrow.Int32();
    case "int64":
      return new arrow.Int64();
    case "float64":
      return new arrow.Float64();
    case "date":
      return new arrow.DateDay();
    case "timestamp":
      return new arrow.Timestamp(arrow.TimeUnit.MICROSECOND);
    case "timestamptz":
      return new arrow.Timestamp(arrow.TimeUnit.MICROSECOND, "UTC");
    case "text":
      return new arrow.Utf8();
  }
}

type Fixed = Int32Array | BigInt64Array;

/** Fixed-width values straight into typed arrays: Arrow's builders would take timestamps as milliseconds and drop micros. */
function fixedData<T extends Arrow.DataType>(
  type: T,
  values: readonly DuckDBValue[],
  make: (n: number) => Fixed,
  read: (v: DuckDBValue) => number | bigint,
): Arrow.Data<T> {
  const n = values.length;
  const data = make(n);
  const valid = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null) nulls++;
    else {
      (data as unknown as Array<number | bigint>)[i] = read(v);
      valid[i >> 3]! |= 1 << (i & 7);
    }
  });
  return apacheArrow().makeData({
    type,
    length: n,
    nullCount: nulls,
    data,
    ...(nulls > 0 ? { nullBitmap: valid } : {}),
  } as never) as Arrow.Data<T>;
}

const micros = (v: DuckDBValue) => (v as { micros: bigint }).micros;

function columnData(kind: ColumnKind, type: Arrow.DataType, values: readonly DuckDBValue[]): Arrow.Data {
  switch (kind) {
    case "int64":
      return fixedData(
        type,
        values,
        (n) => new BigInt64Array(n),
        (v) => (typeof v === "bigint" ? v : BigInt(v as number)),
      );
    case "timestamp":
    case "timestamptz":
      return fixedData(type, values, (n) => new BigInt64Array(n), micros);
    case "date":
      return fixedData(
        type,
        values,
        (n) => new Int32Array(n),
        (v) => (v as { days: number }).days,
      );
    case "int32":
      return fixedData(
        type,
        values,
        (n) => new Int32Array(n),
        (v) => v as number,
      );
    default:
      return apacheArrow().vectorFromArray(values as unknown[], type).data[0]!;
  }
}

/** Writes an Arrow IPC file (Feather v2), one record batch per DuckDB chunk. */
export async function writeArrow(
  connection: DuckDBConnection,
  sql: string,
  columns: readonly PlannedColumn[],
  path: string,
): Promise<number> {
  // Loaded on first use, not with the module: the loader imports the export code, and only an Arrow export needs Arrow.
  const arrow = apacheArrow();
  const fields = columns.map((c) => new arrow.Field(c.name, arrowType(c.kind), true));
  const schema = new arrow.Schema(fields);
  const writer = new arrow.RecordBatchFileWriter();
  const out = createWriteStream(path);
  writer.toNodeStream().pipe(out);
  let rows = 0;
  let wrote = false;
  for await (const chunk of readColumnChunks(connection, sql)) {
    const length = chunk[0]?.length ?? 0;
    const children = columns.map((c, i) => columnData(c.kind, fields[i]!.type, chunk[i]!));
    writer.write(
      new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(fields), length, nullCount: 0, children })),
    );
    rows += length;
    wrote = true;
  }
  // An empty result still has its schema.
  if (!wrote)
    writer.write(
      new arrow.RecordBatch(
        schema,
        arrow.makeData({
          type: new arrow.Struct(fields),
          length: 0,
          nullCount: 0,
          children: fields.map((f) => arrow.vectorFromArray([], f.type).data[0]!),
        }),
      ),
    );
  writer.finish();
  await finished(out);
  return rows;
}
