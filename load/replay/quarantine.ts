// The quarantine rows a replay re-sends and then marks resolved: unresolved dead letters of a feed, grouped by the
// source record they came from.
import type { DuckDBConnection } from "@duckdb/node-api";
import { WAREHOUSE, RawRecord, formatPosition, type SourceRef } from "../../schemas/index.ts";

/** One record to re-send, and the quarantine rows it answers for (the same record may have failed more than once). */
export interface Replayable {
  key: string;
  record: RawRecord;
  dlKeys: string[];
}

export interface WaitingDeadLetters {
  replayable: Replayable[];
  /** Rows whose payload is not a raw record (a file refused whole, an unreadable line): nothing to re-send. */
  notReplayable: number;
}

/** Identifies a source record across stages: feed, file and position (without the column of a wide row). */
export function sourceKey(source: SourceRef): string {
  const { column: _column, ...position } = source.position;
  return `${source.feed}|${source.uri}|${formatPosition(position)}`;
}

/** The unresolved dead letters of a feed at a stage, grouped by source record. */
export async function waitingDeadLetters(
  connection: DuckDBConnection,
  feed: string,
  stage: string,
): Promise<WaitingDeadLetters> {
  const rows = (
    await connection.runAndReadAll(
      `SELECT CAST(dl_key AS VARCHAR) AS dl_key, CAST(payload AS VARCHAR) AS payload FROM ${WAREHOUSE.quarantine}
       WHERE feed = $1 AND stage = $2 AND resolved_at IS NULL ORDER BY failed_at, source_uri, source_position`,
      [feed, stage],
    )
  ).getRowObjectsJson();
  const byKey = new Map<string, Replayable>();
  let notReplayable = 0;
  for (const row of rows) {
    let payload: unknown = null;
    try {
      payload = JSON.parse(String(row["payload"] ?? "null"));
    } catch {
      payload = null;
    }
    const parsed = RawRecord.safeParse(payload);
    if (!parsed.success) {
      notReplayable++;
      continue;
    }
    const key = sourceKey(parsed.data.source);
    const entry = byKey.get(key) ?? { key, record: parsed.data, dlKeys: [] };
    entry.dlKeys.push(String(row["dl_key"]));
    byKey.set(key, entry);
  }
  return { replayable: [...byKey.values()], notReplayable };
}

/** Marks quarantine rows resolved now; returns how many changed. */
export async function markResolved(connection: DuckDBConnection, dlKeys: string[]): Promise<number> {
  let changed = 0;
  for (let i = 0; i < dlKeys.length; i += 500) {
    const chunk = dlKeys.slice(i, i + 500);
    const placeholders = chunk.map((_, j) => `CAST($${j + 1} AS UHUGEINT)`).join(", ");
    const result = await connection.run(
      `UPDATE ${WAREHOUSE.quarantine} SET resolved_at = current_timestamp WHERE resolved_at IS NULL AND dl_key IN (${placeholders})`,
      chunk,
    );
    changed += Number(result.rowsChanged);
  }
  return changed;
}
