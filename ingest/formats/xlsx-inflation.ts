import type { Readable } from "node:stream";
import { createInflateSink } from "./xlsx-inflate-sink.ts";
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
  /** Offset and length of the entry's (compressed) data, data descriptor excluded. */
  dataOffset: number;
  dataSize: number;
  method: number;
}

/** Receives a part's inflated bytes during the measurement (for the parts a caller wants to look into). */
export type PartInspector = (name: string) => ((chunk: Buffer) => void) | undefined;

export interface Inflation {
  /** Set when the archive inflates beyond the limit: which part crossed it, and the counts. */
  refused?: string;
  /** Set when the archive is truncated or damaged: where, and how. The parts before it are complete. */
  damage?: string;
  parts: ZipPart[];
}

const SIG = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50, crx: 0x34327243 } as const;
const DATA_DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
/** Compressed bytes per inflate step: one step at deflate's ~1000:1 ceiling makes ~16 MB, discarded at once. */
const STEP = 16 * 1024;

/**
 * Inflates every part of a zip archive (sheets, xl/sharedStrings.xml, styles, media, anything) and counts the
 * bytes, keeping none unless `inspect` asks for a part's bytes, so a workbook is measured before any reader holds
 * a byte of it. It walks the local headers in order, the way a streaming unzip does: the same entries, the same
 * ends of data (the compressed size, or the next data-descriptor signature), records after the central directory
 * included. The parts it returns are where the second pass finds each entry's data again.
 */
export async function measureInflation(
  input: Readable,
  limit: InflateLimit,
  inspect: PartInspector = () => undefined,
): Promise<Inflation> {
  const zip = createZipPuller(input);
  const parts: ZipPart[] = [];
  let total = 0;
  const damaged = (why: string): Inflation => ({ damage: `${why} (byte ${zip.offset} of ${zip.read} read)`, parts });
  try {
    for (;;) {
      const offset = zip.offset;
      const sig = (await zip.take(4))?.readUInt32LE(0);
      if (sig === SIG.local) {
        const part = await inflatePart(
          zip,
          offset,
          inspect,
          (n) => (total += n) > limit.minBytes && total > limit.ratio * Math.max(zip.read, 1),
        );
        if ("damage" in part) return damaged(part.damage);
        parts.push(part.part);
        if (part.over) {
          const reason =
            `${part.part.name} inflates past the limit: the workbook inflates ` +
            `to more than ${limit.ratio} times its size (${total} bytes from ${zip.read}); ` +
            `refused as a possible zip bomb`;
          return { refused: reason, parts };
        }
      } else if (sig === SIG.central) {
        const header = await zip.take(42);
        if (!header || !(await zip.skip(header.readUInt16LE(24) + header.readUInt16LE(26) + header.readUInt16LE(28))))
          return damaged("the archive ends inside its central directory");
      } else if (sig === SIG.crx) {
        const header = await zip.take(12);
        if (!header || !(await zip.skip(header.readUInt32LE(4) + header.readUInt32LE(8))))
          return damaged("the archive ends inside a signature header");
      } else if (sig === SIG.end) {
        return { parts };
      } else
        return damaged(
          sig === undefined
            ? "the archive ends before its central directory"
            : `unexpected bytes where a zip record should start (0x${sig.toString(16)})`,
        );
    }
  } finally {
    input.destroy();
  }
}

/** Reads one local entry and inflates its data; `count` is told each inflated length and says when it is too much. */
async function inflatePart(
  zip: ZipPuller,
  offset: number,
  inspect: PartInspector,
  count: (n: number) => boolean,
): Promise<{ part: ZipPart; over: boolean } | { damage: string }> {
  const cut = (what: string) => ({ damage: `the archive ends inside ${what}` });
  const header = await zip.take(26);
  if (!header) return cut("a local header");
  const flags = header.readUInt16LE(2);
  const method = header.readUInt16LE(4);
  const name = (await zip.take(header.readUInt16LE(22)))?.toString("utf8");
  const extra = await zip.take(header.readUInt16LE(24));
  if (name === undefined || extra === undefined) return cut("a local header");
  let size = header.readUInt32LE(14);
  if (size === 0xffffffff) size = zip64CompressedSize(extra) ?? size;
  let over = false;
  const look = inspect(name);
  const sink = createInflateSink(method, (chunk) => {
    over ||= count(chunk.length);
    look?.(chunk);
  });
  const dataOffset = zip.offset;
  try {
    if (!(flags & 0x08) || size > 0) {
      for (let left = size; left > 0 && !over; ) {
        const data = await zip.some(Math.min(left, STEP));
        if (!data) return cut(name);
        left -= data.length;
        await sink.write(data);
      }
    } else {
      for (;;) {
        const step = await zip.until(DATA_DESCRIPTOR, STEP);
        if (!step) return cut(name);
        if (step.data.length > 0) await sink.write(step.data);
        if (step.at || over) break;
      }
    }
    const part: ZipPart = { name, offset, dataOffset, dataSize: zip.offset - dataOffset, method };
    if (over) return { part, over };
    if (flags & 0x08 && size === 0 && !(await zip.take(16))) return cut(`the data descriptor of ${name}`);
    await sink.end();
    const failure = sink.failure();
    return failure === undefined ? { part, over } : { damage: `${name} cannot be inflated: ${failure}` };
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
