import type { Readable } from "node:stream";

/** Reads a byte stream by pulling: exact lengths for headers, bounded slices for entry data. Memory stays small. */
export interface ZipPuller {
  /** Bytes taken from the stream so far (what the archive has shown of itself). */
  readonly read: number;
  /** Bytes handed out so far: the offset of the next byte. */
  readonly offset: number;
  /** Exactly `n` bytes, or undefined at the end of the stream. */
  take(n: number): Promise<Buffer | undefined>;
  /** Up to `max` bytes, fewer when fewer are buffered; undefined at the end. */
  some(max: number): Promise<Buffer | undefined>;
  /** Discards `n` bytes; false when the stream ends first. */
  skip(n: number): Promise<boolean>;
  /** Up to `max` bytes before the next `signature`; `at` is true once the signature is next. Undefined at the end. */
  until(signature: Buffer, max: number): Promise<{ data: Buffer; at: boolean } | undefined>;
}

export function createZipPuller(input: Readable): ZipPuller {
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let buffer: Buffer = Buffer.alloc(0);
  let read = 0;
  let offset = 0;
  let ended = false;
  const more = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await chunks.next();
    if (next.done) return !(ended = true);
    buffer = buffer.length === 0 ? next.value : Buffer.concat([buffer, next.value]);
    read += next.value.length;
    return true;
  };
  const hand = (n: number): Buffer => {
    const out = buffer.subarray(0, n);
    buffer = buffer.subarray(n);
    offset += n;
    return out;
  };
  const puller: ZipPuller = {
    get read() {
      return read;
    },
    get offset() {
      return offset;
    },
    async take(n) {
      while (buffer.length < n) if (!(await more())) return undefined;
      return hand(n);
    },
    async some(max) {
      if (buffer.length === 0 && !(await more())) return undefined;
      return hand(Math.min(max, buffer.length));
    },
    async skip(n) {
      for (let left = n; left > 0; ) {
        const got = await puller.some(Math.min(left, 1024 ** 2));
        if (!got) return false;
        left -= got.length;
      }
      return true;
    },
    async until(signature, max) {
      for (;;) {
        const found = buffer.indexOf(signature);
        if (found >= 0) return { data: hand(Math.min(found, max)), at: found <= max };
        // Keep the last bytes: the signature may begin in them and end in the next chunk.
        const safe = buffer.length - (signature.length - 1);
        if (safe > 0) return { data: hand(Math.min(safe, max)), at: false };
        if (!(await more())) return buffer.length > 0 ? { data: hand(buffer.length), at: false } : undefined;
      }
    },
  };
  return puller;
}
