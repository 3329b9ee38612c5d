import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { storedColumns, type RecordFeedSpec } from "../../schemas/index.ts";
import { PipelineError } from "../../runtime/errors.ts";
import { tempPathFor } from "../atomic-file.ts";
import { LAKE_PARQUET_OPTIONS } from "../lake-layout.ts";
import { currentVersion, publishLakeVersion } from "../lake-versions.ts";
import { literal, recordTable } from "./record-table.ts";

/**
 * Record partitions in the lake: `lake/records/<feed>/period=<p>/data.parquet`, Hive-partitioned by period, with the
 * feed's non-personal columns only (no identifier, pseudonymised or not, and no personal attribute) and the records'
 * region, period, vintage, source file and line. Each partition is published as a new version (lake-versions.ts:
 * `period=<p>/_v/data/<generation>.parquet`, with `data.parquet` a link to the newest). bi.duckdb has no view over
 * them: BI reads derived observations, an analyst may read these files.
 */
export function recordPartitionFile(lakeDir: string, feed: string, period: string): string {
  return join(lakeDir, "records", feed, `period=${period}`, "data.parquet");
}

function projection(spec: RecordFeedSpec): string {
  const open = storedColumns(spec)
    .filter(([, c]) => c.personal === "none")
    .map(([name]) => name);
  return [...open, "_region", "_period", "_vintage", "_source_uri", "_line"].join(", ");
}

/** Rewrites the partitions of the periods given (after the transaction that changed them has committed). */
export async function writeRecordPartitions(
  connection: DuckDBConnection,
  spec: RecordFeedSpec,
  lakeDir: string,
  periods: readonly string[],
): Promise<void> {
  for (const period of periods) {
    const file = recordPartitionFile(lakeDir, spec.id, period);
    const temp = tempPathFor(file);
    try {
      const copied = await connection.run(
        `COPY (SELECT ${projection(spec)} FROM ${recordTable(spec.id)} WHERE _period = ${literal(period)}
               ORDER BY _region, _source_uri, _line)
         TO ${literal(temp)} (${LAKE_PARQUET_OPTIONS})`,
      );
      publishLakeVersion(temp, file, copied.rowsChanged);
    } catch (cause) {
      throw new PipelineError(`writing ${file} failed`, { cause });
    }
  }
}

/** The periods whose partition is missing or holds another number of rows than the table (a crash between). */
export async function stalePeriods(
  connection: DuckDBConnection,
  spec: RecordFeedSpec,
  lakeDir: string,
): Promise<string[]> {
  const rows = (
    await connection.runAndReadAll(
      `SELECT _period, count(*) AS n FROM ${recordTable(spec.id)} GROUP BY ALL ORDER BY ALL`,
    )
  ).getRowObjects();
  const stale: string[] = [];
  for (const r of rows) {
    const period = String(r["_period"]);
    const file = recordPartitionFile(lakeDir, spec.id, period);
    if (!existsSync(file) || currentVersion(file) === undefined) {
      stale.push(period);
      continue;
    }
    const [count] = (await connection.runAndReadAll(`SELECT count(*) FROM read_parquet(${literal(file)})`)).getRows();
    if (Number(count?.[0]) !== Number(r["n"])) stale.push(period);
  }
  return stale;
}
