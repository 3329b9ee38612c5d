import { accessSync, constants } from "node:fs";
import { dirname } from "node:path";
import type { KafkaSettings } from "../bus/index.ts";
import type { ReadinessCheck } from "../runtime/metrics-server.ts";
import { withKafkaAdmin } from "../bus/kafka-admin.ts";

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
 * The warehouse file and its folder are still there and writable (a lost volume, a read-only remount). A query
 * would queue behind the loader's own work on the same database, so the probe stays on the file system.
 */
export function warehouseCheck(path: string): ReadinessCheck {
  return {
    name: "warehouse",
    check: async () => {
      accessSync(path, constants.W_OK);
      accessSync(dirname(path), constants.W_OK);
    },
  };
}

/** A folder exists and can be written (the drop root of ingest). */
export function folderCheck(name: string, path: string): ReadinessCheck {
  return { name, check: async () => accessSync(path, constants.W_OK) };
}
