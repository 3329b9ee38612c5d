/**
 * Load: consumes observations and dead letters and keeps the DuckDB warehouse. Rows and the consumer positions
 * commit in one DuckDB transaction; on start the consumer resumes from the stored positions.
 */
import type { Bus, Delivered, PartitionPosition, Runner } from "../bus/index.ts";
import { DeadLetter, Observation, type Catalog, type TopicNames } from "../schemas/index.ts";
import type { Logger } from "../runtime/logger.ts";
import { openWarehouse, type Warehouse } from "./warehouse.ts";
import { syncCatalog } from "./catalog-sync.ts";
import { writeBatch, type DeadLetterRow, type ObservationRow } from "./duckdb-writer.ts";

export { openWarehouse, migrate, type Warehouse } from "./warehouse.ts";
export { syncCatalog } from "./catalog-sync.ts";

export interface LoadOptions {
  bus: Bus;
  topics: TopicNames;
  catalog: Catalog;
  warehousePath: string;
  logger: Logger;
  groupId?: string;
}

export interface LoadStats {
  batches: number;
  observations: number;
  deadLetters: number;
  duplicates: number;
}

/** Opens the warehouse, syncs the catalog dimensions and starts consuming. */
export async function startLoad(options: LoadOptions): Promise<{ runner: Runner; stats: LoadStats; warehouse: Warehouse }> {
  const { bus, topics } = options;
  const log = options.logger.child({ stage: "load" });
  const groupId = options.groupId ?? `${topics.prefix}-load`;
  const warehouse = await openWarehouse(options.warehousePath);
  await syncCatalog(warehouse.connection, options.catalog);
  const stats: LoadStats = { batches: 0, observations: 0, deadLetters: 0, duplicates: 0 };
  const dlqTopics = [topics.dlqIngest, topics.dlqTransform];
  await bus.ensureTopics([topics.observations, ...dlqTopics]);

  const runner = await bus.runSink({
    groupId,
    topics: [topics.observations, ...dlqTopics],
    storedPositions: async () => {
      const rows = (await warehouse.connection.runAndReadAll("SELECT topic, partition, next_offset FROM _kafka_offsets WHERE consumer_group = $1", [groupId])).getRowObjects();
      return rows.map((r): PartitionPosition => ({ topic: String(r["topic"]), partition: Number(r["partition"]), offset: String(r["next_offset"]) }));
    },
    handle: async (batch: Delivered[], positions: PartitionPosition[]) => {
      const observations: ObservationRow[] = [];
      const deadLetters: DeadLetterRow[] = [];
      for (const m of batch) {
        const where = { topic: m.topic, partition: m.partition, offset: m.offset };
        if (m.topic === topics.observations) {
          const parsed = Observation.safeParse(m.value);
          if (parsed.success) observations.push({ observation: parsed.data, ...where });
          else deadLetters.push({ letter: invalidInput(m, parsed.error.issues), ...where });
        } else {
          const parsed = DeadLetter.safeParse(m.value);
          deadLetters.push({ letter: parsed.success ? parsed.data : invalidInput(m, parsed.error.issues), ...where });
        }
      }
      const written = await writeBatch(warehouse.connection, groupId, observations, deadLetters, positions);
      stats.batches++;
      stats.observations += written.observations;
      stats.deadLetters += written.deadLetters;
      stats.duplicates += observations.length + deadLetters.length - written.observations - written.deadLetters;
      log.debug({ rows: batch.length, observations: written.observations, deadLetters: written.deadLetters }, "batch loaded");
    },
  });
  return { runner, stats, warehouse };
}

/** A message the loader cannot read is quarantined with its position, never dropped. */
function invalidInput(m: Delivered, issues: readonly { path: PropertyKey[]; message: string; code: string }[]): DeadLetter {
  return {
    stage: "load",
    feed: m.headers?.["gongfu-feed"] ?? "unknown",
    source: { feed: "unknown", uri: `${m.topic}/${m.partition}`, position: { offset: Number(m.offset) } },
    payload: m.value,
    reasons: issues.map((i) => ({ path: i.path.map(String).join("."), code: `schema_${i.code}`, message: i.message })),
    at: new Date().toISOString(),
  };
}
