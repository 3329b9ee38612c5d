import { DOUBLE, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBConnection, type DuckDBType } from "@duckdb/node-api";
import { storedColumns, type RecordBatch, type RecordFeedSpec } from "../../schemas/index.ts";
import { literal, recordTable, sqlType } from "./record-table.ts";

const CHUNK_ROWS = 2048;

/** The event-time column's year: the record's period (annual periods for now). */
function periodSql(spec: RecordFeedSpec): string {
  const name = spec.records.eventTime;
  switch (spec.records.columns[name]?.type) {
    case "integer":
      return `CAST(CAST(${name} AS BIGINT) AS VARCHAR)`;
    case "timestamp":
      // A year ends at midnight in Zhejiang, not in UTC.
      return `strftime(timezone('Asia/Shanghai', CAST(${name} AS TIMESTAMPTZ)), '%Y')`;
    default:
      return `strftime(CAST(${name} AS DATE), '%Y')`;
  }
}

/**
 * Appends one record batch to the feed's record table, inside the caller's transaction: its columns go to a temp
 * stage as data chunks (one native call per column and chunk), then one INSERT casts them to the table's types.
 */
export async function appendRecords(
  connection: DuckDBConnection,
  spec: RecordFeedSpec,
  batch: RecordBatch,
  snapshot: number,
): Promise<void> {
  const stored = storedColumns(spec);
  const types: DuckDBType[] = stored.map(([name]) => (batch.columns[name]?.kind === "number" ? DOUBLE : VARCHAR));
  types.push(INTEGER);
  const defs = stored.map(([name], i) => `${name} ${types[i] === DOUBLE ? "DOUBLE" : "VARCHAR"}`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_rec (${[...defs, "_line INTEGER"].join(", ")})`);
  const appender = await connection.createAppender("stage_rec", "main", "temp");
  try {
    for (let start = 0; start < batch.rows; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, batch.rows - start);
      const chunk = DuckDBDataChunk.create(types, n);
      stored.forEach(([name], c) => {
        const column = batch.columns[name];
        const values: (string | number | null)[] = new Array(n);
        for (let i = 0; i < n; i++) {
          if (column === undefined) values[i] = null;
          else if (column.kind === "number") {
            const v = column.values[start + i]!;
            values[i] = Number.isNaN(v) ? null : v;
          } else values[i] = column.values[start + i] ?? null;
        }
        chunk.setColumnValues(c, values);
      });
      chunk.setColumnValues(stored.length, Array.from(batch.lines.subarray(start, start + n)));
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  const names = stored.map(([name]) => name);
  const casts = stored.map(([name, c]) => `CAST(${name} AS ${sqlType(c)})`);
  await connection.run(`INSERT INTO ${recordTable(spec.id)}
  (${[...names, "_region", "_period", "_vintage", "_source_uri", "_checksum", "_seq", "_line", "_snapshot"].join(", ")})
SELECT ${[...casts, spec.records.region, periodSql(spec)].join(", ")},
  CAST(${literal(batch.vintage)} AS TIMESTAMPTZ), ${literal(batch.uri)}, ${literal(batch.checksum)}, ${batch.seq}, _line, ${snapshot}
FROM stage_rec`);
}
