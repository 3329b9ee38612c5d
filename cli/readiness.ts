import { accessSync, constants } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import type { KafkaSettings } from "../bus/index.ts";
import type { ReadinessCheck } from "../runtime/metrics-server.ts";
import { withKafkaAdmin } from "./kafka-admin.ts";

/** The broker answers a metadata request (a fresh connection each time, so a dead broker is noticed at once). */
export function brokerCheck(settings: KafkaSettings): ReadinessCheck {
  return {
    name: "kafka",
    check: async () => {
      await withKafkaAdmin(settings, (admin) => admin.describeCluster(), { timeoutMs: 3000 });
    },
  };
}

/**
 * The warehouse file is still there and writable, and the database answers on a connection of its own (the
 * process's cached instance, so no second lock), never on the loader's busy connection.
 */
export function warehouseCheck(path: string): ReadinessCheck {
  return {
    name: "warehouse",
    check: async () => {
      accessSync(path, constants.W_OK);
      const connection = await (await DuckDBInstance.fromCache(path)).connect();
      try {
        await connection.run("SELECT count(*) FROM _schema_migrations");
      } finally {
        connection.closeSync();
      }
    },
  };
}

/** A folder exists and can be written (the drop root of ingest). */
export function folderCheck(name: string, path: string): ReadinessCheck {
  return { name, check: async () => accessSync(path, constants.W_OK) };
}
