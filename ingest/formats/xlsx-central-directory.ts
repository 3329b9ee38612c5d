import type { ZipPart } from "./xlsx-inflation.ts";

const END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const CENTRAL = 0x02014b50;

/**
 * exceljs reads a workbook whole through JSZip, which finds entries by the central directory, not by the local
 * headers that measureInflation walked. The measurement holds only if the directory names exactly those entries
 * (same offsets and sizes, each once, no ZIP64 or prepended bytes, which JSZip resolves its own way); why not, else.
 */
export function centralDirectoryProblem(archive: Buffer, parts: readonly ZipPart[]): string | undefined {
  const end = archive.lastIndexOf(END);
  if (end < 0 || end + 22 > archive.length) return "it has no end-of-central-directory record";
  const start = archive.readUInt32LE(end + 16);
  if (start + archive.readUInt32LE(end + 12) !== end) return "its central directory is not where its end record says";
  const byOffset = new Map(parts.map((p) => [p.offset, p]));
  const seen = new Set<number>();
  // JSZip reads directory headers for as long as their signature follows, whatever the end record counts.
  for (let at = start; at + 46 <= archive.length && archive.readUInt32LE(at) === CENTRAL; at += 46 + archive.readUInt16LE(at + 28) + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32)) {
    const offset = archive.readUInt32LE(at + 42);
    const part = byOffset.get(offset);
    if (!part || seen.has(offset) || part.compressedSize !== archive.readUInt32LE(at + 20)) return `its central directory entry at byte ${at} does not match an entry of the archive`;
    seen.add(offset);
  }
  return undefined;
}
