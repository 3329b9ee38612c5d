import type { DuckDBConnection } from "@duckdb/node-api";
import type { Delivered } from "../../bus/index.ts";
import { recordValuesRows, storedColumns, type RecordBatch, type RecordFeedSpec } from "../../schemas/index.ts";

/** Why a record batch cannot be loaded as it is, or undefined when it fits its feed's spec. */
export function batchProblem(batch: RecordBatch, spec: RecordFeedSpec | undefined): string | undefined {
  if (!spec) return `no record feed ${batch.feed} in feeds/records/`;
  if (batch.lines.length !== batch.rows) return `${batch.lines.length} line numbers for ${batch.rows} rows`;
  for (const [name, column] of storedColumns(spec)) {
    const values = batch.columns[name];
    if (!values) return `no column ${name}, which the spec declares`;
    const rows = recordValuesRows(values);
    if (rows !== batch.rows) return `column ${name} has ${rows} values for ${batch.rows} rows`;
    const numeric = column.type === "integer" || column.type === "number";
    if (numeric !== (values.kind === "number")) return `column ${name} is ${values.kind}, the spec says ${column.type}`;
  }
  return undefined;
}

/**
 * A message the record loader cannot take (not a record batch, or one that does not fit its feed's spec) goes to
 * quarantine with its position, in the delivery's transaction, and is never retried; its bytes are not kept (they
 * are records, personal ones among them). A re-delivery finds the same key and adds nothing.
 */
export async function quarantineMessage(connection: DuckDBConnection, m: Delivered, reason: string): Promise<void> {
  const size = m.value instanceof Uint8Array ? m.value.byteLength : 0;
  const feed = m.headers?.["gongfu-feed"] ?? "unknown";
  await connection.run(
    `INSERT OR IGNORE INTO quarantine
       (dl_key, stage, feed, source_uri, source_position, reason_codes, reasons, payload, failed_at,
        kafka_topic, kafka_partition, kafka_offset)
     VALUES (md5_number(concat_ws('|', 'load', $1, $2, $3, 'bad_record_batch')), 'load', $4, $1 || '/' || $2,
       'offset ' || $3, 'bad_record_batch', $5::JSON, $6::JSON, current_timestamp, $1, $2, $3)`,
    [
      m.topic,
      m.partition,
      m.offset,
      feed,
      JSON.stringify([{ code: "bad_record_batch", message: reason }]),
      JSON.stringify({ unreadableBytes: size }),
    ],
  );
  await connection.run("INSERT OR IGNORE INTO _lake_dirty (table_name, part) VALUES ('quarantine', '')");
}
