import type { Readable } from "node:stream";
import type { Bus } from "../../bus/index.ts";
import type { FeedSpec, TopicNames } from "../../schemas/index.ts";
import type { Logger } from "../../runtime/logger.ts";
import type { StateStore } from "../state-store.ts";

/** One source to read: a dropped file or one HTTP response. */
export interface SourceUnit {
  /** Path relative to the drop folder, or the URL. */
  uri: string;
  /** sha256 of the bytes: the same content dropped again is recognised. */
  checksum: string;
  bytes: number;
  /** When the department published it (file time or Last-Modified): the vintage of its values. */
  publishedAt: string;
  /** Opens the bytes; callable more than once. */
  open(): Readable;
  /** A local file holding exactly these bytes, for readers that read files themselves (DuckDB's read_csv). */
  path?: string;
}

/** What one poll of a feed did. For HTTP feeds a "file" is one response (one page). */
export interface FeedRunStats {
  feed: string;
  files: number;
  /** Files or responses already produced before (same checksum), or answered 304 Not Modified. */
  duplicates: number;
  records: number;
  /** Rows that could not be read, each a dead letter. */
  rejected: number;
  /** Files moved to failed/, or responses that could not be used. */
  failedFiles: number;
  /** Every dead letter this poll published to the ingest dead-letter topic. */
  deadLetters: number;
  /** Files still being written (size not yet stable), left for the next poll. */
  pending: number;
}

export function emptyStats(feed: string): FeedRunStats {
  return { feed, files: 0, duplicates: 0, records: 0, rejected: 0, failedFiles: 0, deadLetters: 0, pending: 0 };
}

/** The counts of two polls of one feed; `pending` is what the later one left. */
export function addStats(a: FeedRunStats, b: FeedRunStats): FeedRunStats {
  const sum = { ...a };
  for (const k of ["files", "duplicates", "records", "rejected", "failedFiles", "deadLetters"] as const) sum[k] += b[k];
  sum.pending = b.pending;
  return sum;
}

/** What every connector is given: where to produce, where to remember, and how to tell the time. */
export interface ConnectorDeps {
  bus: Bus;
  topics: TopicNames;
  state: StateStore;
  logger: Logger;
  now: () => Date;
  /** The drop root that relative file-drop folders are under. */
  dropRoot: string;
  /** Folders an absolute file-drop folder may lie under (ingest.allowedRoots); none by default. */
  allowedRoots?: readonly string[];
  /** Environment variables for HTTP headers (`headersFromEnv`); read by the caller, never logged. */
  env: Readonly<Record<string, string | undefined>>;
  /** Origin that replaces the URL origin of sample HTTP feeds (`sample: true`): the demo fixture server. */
  sampleHttpOrigin?: string;
  /** Daemon mode: a dropped file is read only once its size and time have not changed for this long. */
  settleMs?: number;
}

/**
 * A feed connector: created from a feed spec by a factory in the registry of ingest/index.ts. `poll` reads
 * what is new since the last poll (files waiting, pages changed), produces it as RawRecords to the feed's raw
 * topic and unreadable parts as dead letters, remembers what it produced in the connector state, and returns
 * counts. Bad data never makes `poll` throw; an aborted `signal` ends it early, leaving the state consistent.
 */
export interface Connector {
  readonly kind: FeedSpec["connector"]["kind"];
  readonly feed: string;
  poll(signal?: AbortSignal): Promise<FeedRunStats>;
  close(): Promise<void>;
}
