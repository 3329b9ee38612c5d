import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";

/** Streams a query's result chunk by chunk (about 2048 rows each) as columns of DuckDB values, so memory stays flat. */
export async function* readColumnChunks(connection: DuckDBConnection, sql: string): AsyncGenerator<DuckDBValue[][]> {
  const result = await connection.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    yield chunk.getColumns();
  }
}
