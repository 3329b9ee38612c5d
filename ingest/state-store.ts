import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What a connector remembers across restarts: checksums of sources already produced, and cursors. */
export interface ConnectorState {
  sources: Record<string, { uri: string; at: string; records: number; rejected: number }>;
  cursor?: string;
  etag?: string;
  lastModified?: string;
}

/** One small JSON file per feed, replaced atomically so a crash never leaves half a state. */
export function createStateStore(dir: string) {
  mkdirSync(dir, { recursive: true });
  const fileOf = (feed: string) => join(dir, `${feed}.json`);
  return {
    load(feed: string): ConnectorState {
      try {
        return JSON.parse(readFileSync(fileOf(feed), "utf8")) as ConnectorState;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return { sources: {} };
        throw err;
      }
    },
    save(feed: string, state: ConnectorState): void {
      const tmp = `${fileOf(feed)}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(state, null, 1));
      renameSync(tmp, fileOf(feed));
    },
  };
}
export type StateStore = ReturnType<typeof createStateStore>;
