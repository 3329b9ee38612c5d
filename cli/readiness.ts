import { accessSync, constants } from "node:fs";
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

/** The warehouse connection answers a query. */
export function warehouseCheck(connection: { run(sql: string): Promise<unknown> }): ReadinessCheck {
  return { name: "warehouse", check: async () => void (await connection.run("SELECT 1")) };
}

/** A folder exists and can be written (the drop root of ingest). */
export function folderCheck(name: string, path: string): ReadinessCheck {
  return { name, check: async () => accessSync(path, constants.W_OK) };
}
