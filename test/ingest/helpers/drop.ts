import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONNECTORS, connectorDeps } from "../../../ingest/index.ts";
import { silentLogger } from "../../../runtime/logger.ts";
import type { FeedSpec } from "../../../schemas/index.ts";
import { captureBus } from "./capture-bus.ts";

/** A drop root and state folder of its own, the real in-process bus, and a way to (re)start the connector. */
export async function dropFixture(spec: FeedSpec, settleMs?: number) {
  const base = mkdtempSync(join(tmpdir(), "gongfu-drop-"));
  const dropRoot = join(base, "inbox");
  const stateDir = join(base, "state");
  const capture = await captureBus([spec.id]);
  const folder = spec.connector.kind === "file-drop" ? join(dropRoot, spec.connector.path) : dropRoot;
  mkdirSync(folder, { recursive: true });
  return {
    ...capture,
    base,
    folder,
    drop(name: string, bytes: string | Buffer) {
      mkdirSync(join(folder, name, ".."), { recursive: true });
      writeFileSync(join(folder, name), bytes);
      return join(folder, name);
    },
    /** A new connector each time: what a restarted process would have, with the same state folder. */
    connector() {
      return CONNECTORS["file-drop"](
        spec,
        connectorDeps(
          { specs: [spec], bus: capture.bus, topics: capture.topics, dropRoot, stateDir, logger: silentLogger() },
          settleMs === undefined ? {} : { settleMs },
        ),
      );
    },
    listed(sub: "processed" | "failed"): string[] {
      try {
        return readdirSync(join(folder, sub), { recursive: true }).map(String).sort();
      } catch {
        return [];
      }
    },
  };
}
