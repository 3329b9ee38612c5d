import type { DuckDBConnection } from "@duckdb/node-api";
import type { Delivered } from "../../bus/index.ts";
import type { Derivation, RecordBatch, RecordFeedSpec } from "../../schemas/index.ts";
import { appendRecords } from "./append-records.ts";
import { deriveCells, markDirtyCells } from "./derive-cells.ts";
import { literal, recordTable } from "./record-table.ts";
import { addDerived, scalar, type RecordLoadStats } from "./record-load-stats.ts";

export /**
 * Loads one batch unless it is in already; once a source is whole, derives the cells its records touched. Returns
 * the periods whose records changed (none for a batch delivered again).
 */
async function loadBatch(
  connection: DuckDBConnection,
  spec: RecordFeedSpec,
  batch: RecordBatch,
  at: Delivered,
  derivations: readonly Derivation[],
  stats: RecordLoadStats,
): Promise<string[]> {
  const feed = literal(spec.id);
  const seen = await scalar(
    connection,
    `SELECT count(*) FROM record_batch WHERE feed = ${feed} AND checksum = ${literal(batch.checksum)} AND seq = ${batch.seq}`,
  );
  if (seen > 0) {
    stats.duplicates++;
    return [];
  }
  const snapshot =
    (await scalar(connection, `SELECT coalesce(max(snapshot), 0) FROM record_batch WHERE feed = ${feed}`)) + 1;
  await appendRecords(connection, spec, batch, snapshot);
  await connection.run(
    `INSERT INTO record_batch (feed, checksum, seq, snapshot, source_uri, records, vintage, kafka_topic, kafka_partition, kafka_offset)
     VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS TIMESTAMPTZ), $8, $9, $10)`,
    [
      spec.id,
      batch.checksum,
      batch.seq,
      snapshot,
      batch.uri,
      batch.rows,
      batch.vintage,
      at.topic,
      at.partition,
      at.offset,
    ],
  );
  stats.batches++;
  stats.records += batch.rows;
  const periods = (
    await connection.runAndReadAll(
      `SELECT DISTINCT _period FROM ${recordTable(spec.id)} WHERE _snapshot = ${snapshot} ORDER BY ALL`,
    )
  )
    .getRows()
    .map(([p]) => String(p));
  if (!batch.last) return periods;
  const through = await scalar(
    connection,
    `SELECT coalesce(max(snapshot), 0) FROM _record_derived WHERE feed = ${feed}`,
  );
  const dirty = await markDirtyCells(connection, spec, through);
  for (const d of derivations.filter((x) => x.records === spec.id))
    addDerived(stats, await deriveCells(connection, d, spec, dirty, snapshot, through));
  await connection.run(`INSERT OR REPLACE INTO _record_derived (feed, snapshot) VALUES (${feed}, ${snapshot})`);
  return periods;
}
