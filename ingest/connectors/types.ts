import type { Readable } from "node:stream";

/** One source to read: a dropped file or one HTTP response. */
export interface SourceUnit {
  /** Path relative to the drop folder, or the URL. */
  uri: string;
  /** sha256 of the bytes: the same content dropped again is recognised. */
  checksum: string;
  bytes: number;
  /** When the department published it (file time or Last-Modified): the vintage of its values. */
  publishedAt: string;
  open(): Readable;
}
