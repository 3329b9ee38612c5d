import { DuckDBInstance } from "@duckdb/node-api";

/** Opens a warehouse file read-only, runs `fn`, and closes it again. */
export async function withWarehouse<T>(
  path: string,
  fn: (query: (sql: string, params?: (string | number)[]) => Promise<Record<string, unknown>[]>) => Promise<T>,
): Promise<T> {
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  try {
    return await fn(
      async (sql, params) =>
        (await connection.runAndReadAll(sql, params ?? [])).getRowObjectsJson() as Record<string, unknown>[],
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
