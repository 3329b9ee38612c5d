import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { createMergeBuffer, migrate } from "../../load/index.ts";
import type { ObservationRow } from "../../load/index.ts";
import type { MergeBufferOptions } from "../../load/duckdb-writer.ts";
import type { Observation } from "../../schemas/index.ts";

/** A migrated warehouse of its own, in memory or in a file; `close` releases it. */
export async function scratchWarehouse(
  path = ":memory:",
): Promise<{ connection: DuckDBConnection; connect(): Promise<DuckDBConnection>; close(): void }> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  await migrate(connection);
  return {
    connection,
    connect: () => instance.connect(),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `gongfu-${name}-`));
}

export function observation(over: Partial<Observation> = {}): Observation {
  return {
    indicator: "disposable_income_per_capita",
    region: "330100",
    period: "2023",
    value: 75810,
    unit: "元",
    vintage: "2024-01-20T00:00:00.000Z",
    source: { feed: "stats-bureau-income", uri: "income.csv", position: { line: 40 } },
    ingestedAt: "2024-02-01T00:00:00.000Z",
    ...over,
  };
}

/** An observation as the bus delivered it, at an offset of partition 0. */
export function delivered(o: Observation, offset: number, topic = "t.observations"): ObservationRow {
  return { observation: o, topic, partition: 0, offset: String(offset) };
}

export async function rows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/**
 * Loads each group of observations through a merge buffer of its own, in order, into a fresh warehouse (each row
 * delivered at the next Kafka offset), and returns the facts without load times and offsets, in a stable order.
 */
export async function factsAfterMerges(
  merges: readonly Observation[][],
  options: MergeBufferOptions,
): Promise<Record<string, unknown>[]> {
  const db = await scratchWarehouse();
  try {
    let offset = 0;
    for (const merge of merges) {
      const buffer = await createMergeBuffer(db.connection, options);
      await buffer.append(
        merge.map((o) => delivered(o, offset++)),
        [],
        [],
      );
      await buffer.merge("g");
    }
    return await rows(db.connection, "SELECT * EXCLUDE (loaded_at, kafka_offset) FROM fact_observation ORDER BY ALL");
  } finally {
    db.close();
  }
}
