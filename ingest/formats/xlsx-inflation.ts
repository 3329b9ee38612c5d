import type { Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";
import { createZipPuller, type ZipPuller } from "./xlsx-zip-puller.ts";

/** A workbook inflating beyond `ratio` times the bytes read, and beyond `minBytes`, is refused as a zip bomb. */
export interface InflateLimit {
  ratio: number;
  minBytes: number;
}

/** One entry (part) of the archive as its local header placed it. */
export interface ZipPart {
  name: string;
  /** Offset of the local header in the archive. */
  offset: number;
  compressedSize: number;
}

export interface Inflation {
  /** Set when the archive inflates beyond the limit: which part crossed it, and the counts. */
  refused?: string;
  parts: ZipPart[];
}

const SIG = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50, crx: 0x34327243 } as const;
const DATA_DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
/** Compressed bytes per inflate step: one step at deflate's ~1000:1 ceiling makes ~16 MB, discarded at once. */
const STEP = 16 * 1024;

/**
 * Inflates every part of a zip archive (sheets, xl/sharedStrings.xml, styles, media, anything) and counts the
 * bytes, keeping none, so a workbook is measured before any reader holds a byte of it. It walks the local headers
 * in order, as exceljs's streaming unzip (unzipper) does: the same entries, the same ends of data (the compressed
 * size, or the next data-descriptor signature), records after the central directory included.
 */
export async function measureInflation(input: Readable, limit: InflateLimit): Promise<Inflation> {
  const zip = createZipPuller(input);
  const parts: ZipPart[] = [];
  let total = 0;
  try {
    for (;;) {
      const offset = zip.offset;
      const sig = (await zip.take(4))?.readUInt32LE(0);
      if (sig === SIG.local) {
        const part = await inflatePart(zip, offset, (n) => (total += n) > limit.minBytes && total > limit.ratio * Math.max(zip.read, 1));
        if (!part) break;
        parts.push(part.part);
        if (part.over) {
          const reason = `${part.part.name} inflates past the limit: the workbook inflates to more than ${limit.ratio} times its size (${total} bytes from ${zip.read}); refused as a possible zip bomb`;
          return { refused: reason, parts };
        }
      } else if (sig === SIG.central) {
        const header = await zip.take(42);
        if (!header || !(await skip(zip, header.readUInt16LE(24) + header.readUInt16LE(26) + header.readUInt16LE(28)))) break;
      } else if (sig === SIG.crx) {
        const header = await zip.take(12);
        if (!header || !(await skip(zip, header.readUInt32LE(4) + header.readUInt32LE(8)))) break;
      } else break; // the end record, the end of the stream, or damage the reader itself reports
    }
    return { parts };
  } finally {
    input.destroy();
  }
}

async function skip(zip: ZipPuller, n: number): Promise<boolean> {
  for (let left = n; left > 0; ) {
    const got = await zip.some(Math.min(left, 1024 ** 2));
    if (!got) return false;
    left -= got.length;
  }
  return true;
}

/** Reads one local entry and inflates its data; `count` is told each inflated length and says when it is too much. */
async function inflatePart(zip: ZipPuller, offset: number, count: (n: number) => boolean): Promise<{ part: ZipPart; over: boolean } | undefined> {
  const header = await zip.take(26);
  if (!header) return undefined;
  const flags = header.readUInt16LE(2);
  const method = header.readUInt16LE(4);
  const name = (await zip.take(header.readUInt16LE(22)))?.toString("utf8");
  const extra = await zip.take(header.readUInt16LE(24));
  if (name === undefined || extra === undefined) return undefined;
  let size = header.readUInt32LE(14);
  if (size === 0xffffffff) size = zip64CompressedSize(extra) ?? size;
  const sink = createCountingSink(method, count);
  const start = zip.offset;
  try {
    if (!(flags & 0x08) || size > 0) {
      for (let left = size; left > 0 && !sink.over(); ) {
        const data = await zip.some(Math.min(left, STEP));
        if (!data) return undefined;
        left -= data.length;
        await sink.write(data);
      }
    } else {
      for (;;) {
        const step = await zip.until(DATA_DESCRIPTOR, STEP);
        if (!step) return undefined;
        if (step.data.length > 0) await sink.write(step.data);
        if (step.at || sink.over()) break;
      }
      if (!sink.over() && !(await zip.take(16))) return undefined;
    }
    if (!sink.over()) await sink.end();
    return { part: { name, offset, compressedSize: zip.offset - start }, over: sink.over() };
  } finally {
    sink.close();
  }
}

/** unzipper reads a ZIP64 extra field's compressed size for a local header that says 0xffffffff. */
function zip64CompressedSize(extra: Buffer): number | undefined {
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) === 0x0001 && at + 20 <= extra.length) return Number(extra.readBigUInt64LE(at + 12));
  }
  return undefined;
}

interface CountingSink {
  write(data: Buffer): Promise<void>;
  end(): Promise<void>;
  over(): boolean;
  close(): void;
}

/** Inflates (or, for a stored entry, passes) data and only counts it; a damaged stream just stops counting. */
function createCountingSink(method: number, count: (n: number) => boolean): CountingSink {
  let over = false;
  const add = (n: number) => void (over ||= count(n));
  if (method === 0) return { write: async (data) => add(data.length), end: async () => {}, over: () => over, close: () => {} };
  const inflater = createInflateRaw();
  let done = false;
  let wake: (() => void) | undefined;
  inflater.on("data", (chunk: Buffer) => add(chunk.length));
  for (const event of ["error", "end", "close"]) inflater.on(event, () => ((done = true), wake?.()));
  // Resolves once the inflater has taken the data (or ended, or failed): one step in flight, memory flat.
  const settle = (start: (resolve: () => void) => void) =>
    new Promise<void>((resolve) => {
      if (done) return resolve();
      wake = resolve;
      start(resolve);
    });
  return {
    write: (data) => settle((resolve) => inflater.write(data, () => resolve())),
    end: () => settle(() => inflater.end()),
    over: () => over,
    close: () => inflater.destroy(),
  };
}
