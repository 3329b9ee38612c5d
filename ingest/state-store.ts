import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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

/** One source a connector produced: where it came from, when, and how many rows. */
export interface SourceMemo {
  uri: string;
  at: string;
  records: number;
  rejected: number;
  /** Why the source was refused whole (moved to failed/); such a source is read again when dropped again. */
  refused?: string;
}

/** What a connector remembers across restarts: checksums of sources already produced, and where paging stopped. */
export interface ConnectorState {
  sources: Record<string, SourceMemo>;
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

/** Journal lines before they are folded into the JSON file: at least this many, or an eighth of the sources. */
const COMPACT_MIN = 256;

/**
 * One JSON file per feed (<feed>.json, replaced atomically so a crash never leaves half a state), plus for dropped
 * files a journal (<feed>.journal) that each produced source is appended to: recording a source costs one short
 * append, not a rewrite of every checksum ever seen. The journal is folded into the JSON file once it holds an
 * eighth as many lines as the file has sources (so the cost per source stays flat), on `flush`, and on `save`.
 */
export function createStateStore(dir: string) {
  mkdirSync(dir, { recursive: true });
  const fileOf = (feed: string) => join(dir, `${feed}.json`);
  const journalOf = (feed: string) => join(dir, `${feed}.journal`);
  const cache = new Map<string, { state: ConnectorState; journal: number; count: number }>();

  const readBase = (feed: string): ConnectorState => {
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
  };

  /** Applies the journal onto `state`; a line cut by a crash (the last one) is ignored. */
  const replay = (feed: string, state: ConnectorState): number => {
    let text: string;
    try {
      text = readFileSync(journalOf(feed), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw new PipelineError(`cannot read the connector journal ${journalOf(feed)}`, { cause: err });
    }
    let lines = 0;
    for (const line of text.split("\n")) {
      if (!line) continue;
      try {
        const { checksum, source } = JSON.parse(line) as { checksum: string; source: SourceMemo };
        state.sources[checksum] = source;
        lines++;
      } catch {
        // only the line being written when a process died can be cut
      }
    }
    return lines;
  };

  const write = (feed: string, state: ConnectorState): void => {
    const tmp = `${fileOf(feed)}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state, null, 1));
    renameSync(tmp, fileOf(feed));
    rmSync(journalOf(feed), { force: true }); // replaying it again onto the new file would change nothing
  };

  const cached = (feed: string) => {
    let entry = cache.get(feed);
    if (!entry) {
      const state = readBase(feed);
      const journal = replay(feed, state);
      entry = { state, journal, count: Object.keys(state.sources).length };
      cache.set(feed, entry);
    }
    return entry;
  };

  const compact = (feed: string): void => {
    const entry = cache.get(feed);
    if (!entry || entry.journal === 0) return;
    write(feed, entry.state);
    entry.journal = 0;
  };

  return {
    /** The feed's state as on disk (journal applied), a fresh object each call. */
    load(feed: string): ConnectorState {
      const state = readBase(feed);
      replay(feed, state);
      return state;
    },
    /** Replaces the feed's whole state. */
    save(feed: string, state: ConnectorState): void {
      write(feed, state);
      cache.delete(feed);
    },
    /** The source produced before with this checksum, if any (read from disk once per store). */
    produced(feed: string, checksum: string): SourceMemo | undefined {
      return cached(feed).state.sources[checksum];
    },
    /** Remembers one produced source: one appended journal line. */
    recordSource(feed: string, checksum: string, source: SourceMemo): void {
      const entry = cached(feed);
      appendFileSync(journalOf(feed), `${JSON.stringify({ checksum, source })}\n`);
      if (!Object.hasOwn(entry.state.sources, checksum)) entry.count++;
      entry.state.sources[checksum] = source;
      entry.journal++;
      if (entry.journal >= Math.max(COMPACT_MIN, entry.count / 8)) compact(feed);
    },
    /** Folds every journal into its JSON file, so readers of the JSON file (gongfu status) see every source. */
    flush(): void {
      for (const feed of cache.keys()) compact(feed);
    },
  };
}
export type StateStore = ReturnType<typeof createStateStore>;
