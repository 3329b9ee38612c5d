import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PipelineError } from "../runtime/errors.ts";

/** What an HTTP page URL answered last time: its validators for a conditional request, and how to go on from it. */
export interface PageMemo {
  etag?: string;
  lastModified?: string;
  checksum: string;
  records: number;
  /** The next cursor the page gave (cursor pagination). */
  next?: string;
}

/** What a connector remembers across restarts: checksums of sources already produced, and where paging stopped. */
export interface ConnectorState {
  sources: Record<string, { uri: string; at: string; records: number; rejected: number }>;
  /** HTTP: the request to resume with (JSON) while a pass over the pages is under way; absent between passes. */
  cursor?: string;
  /** HTTP: by page URL. */
  pages?: Record<string, PageMemo>;
  /**
   * HTTP: the publication time given to a response being produced, by checksum, until it is recorded in `sources`:
   * a response produced again after a crash gets the same vintage, so downstream sees the same records again.
   */
  producing?: Record<string, string>;
}

/** One small JSON file per feed, replaced atomically so a crash never leaves half a state. */
export function createStateStore(dir: string) {
  mkdirSync(dir, { recursive: true });
  const fileOf = (feed: string) => join(dir, `${feed}.json`);
  return {
    load(feed: string): ConnectorState {
      let text: string;
      try {
        text = readFileSync(fileOf(feed), "utf8");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return { sources: {} };
        throw new PipelineError(`cannot read the connector state ${fileOf(feed)}`, { cause: err });
      }
      try {
        return JSON.parse(text) as ConnectorState;
      } catch (err) {
        throw new PipelineError(`the connector state ${fileOf(feed)} is not valid JSON`, {
          cause: err,
          hint: "restore it from a backup, or delete it to produce every source again",
        });
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
