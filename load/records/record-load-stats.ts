import type { DuckDBConnection } from "@duckdb/node-api";

export interface RecordLoadStats {
  batches: number;
  records: number;
  /** Batches delivered again (a restart, a re-produced file) and not loaded twice. */
  duplicates: number;
  /** Messages that are not record batches of a known feed, or do not fit its spec: quarantined. */
  refused: number;
  cells: number;
  suppressed: number;
  observations: number;
}

export function addDerived(
  stats: RecordLoadStats,
  r: { cells: number; suppressed: number; observations: number },
): void {
  stats.cells += r.cells;
  stats.suppressed += r.suppressed;
  stats.observations += r.observations;
}

/** The first column of the first row of a query, as a number (0 when there is none). */
export async function scalar(connection: DuckDBConnection, sql: string): Promise<number> {
  const row = (await connection.runAndReadAll(sql)).getRows()[0];
  return Number(row?.[0] ?? 0);
}
