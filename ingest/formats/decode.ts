import { Transform, type Readable } from "node:stream";
import iconv from "iconv-lite";
import type { Encoding } from "../../schemas/index.ts";

const SNIFF_BYTES = 64 * 1024;

/** True when the bytes are valid UTF-8, allowing a multi-byte sequence cut off at the end of the sample. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    // A sample may end inside a character: retry without its last three bytes.
    if (bytes.length < 4) return false;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, lastCharBoundary(bytes)));
      return true;
    } catch {
      return false;
    }
  }
}

function lastCharBoundary(bytes: Uint8Array): number {
  let i = bytes.length - 1;
  while (i > 0 && i > bytes.length - 4 && (bytes[i]! & 0xc0) === 0x80) i--;
  return i;
}

/** Well-formed multi-byte UTF-8 sequences in a sample, and bytes that cannot be UTF-8 (a cut-off tail excepted). */
function utf8Evidence(bytes: Uint8Array): { multibyte: number; invalid: number } {
  let multibyte = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0) {
      invalid++;
      i++;
      continue;
    }
    if (i + n >= bytes.length) break; // the sample ends inside a character
    let whole = true;
    for (let k = 1; k <= n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) whole = false;
    if (whole) {
      multibyte++;
      i += n + 1;
    } else {
      invalid++; // one broken character: its lead byte and the continuation bytes it kept
      for (i++; i < bytes.length && (bytes[i]! & 0xc0) === 0x80; ) i++;
    }
  }
  return { multibyte, invalid };
}

export type DetectedEncoding = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "gb18030";

/**
 * Picks the encoding of a sample: a BOM wins (UTF-8, UTF-16 either order); UTF-8 when the sample is UTF-8 but for
 * a rare broken character (a cut-off multi-byte sequence: that line alone is then dead-lettered, see
 * REPLACEMENT); anything else is read as GB18030 (a superset of GBK), whose text is almost never valid UTF-8.
 */
export function detectEncoding(sample: Uint8Array): DetectedEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return "utf-8-bom";
  if (sample[0] === 0xff && sample[1] === 0xfe) return "utf-16le";
  if (sample[0] === 0xfe && sample[1] === 0xff) return "utf-16be";
  if (isValidUtf8(sample)) return "utf-8";
  const { multibyte, invalid } = utf8Evidence(sample);
  return multibyte >= 4 && invalid * 10 <= multibyte ? "utf-8" : "gb18030";
}

/** What a decoder puts where bytes were not a character: a line holding it was not read as sent. */
export const REPLACEMENT = "\uFFFD";

/** Decodes a byte stream to text chunks, sniffing the first 64 KiB when the encoding is `auto`. */
export function decodeStream(input: Readable, encoding: Encoding): Readable {
  let decoder: ReturnType<typeof iconv.getDecoder> | undefined;
  let head: Buffer[] = [];
  let headBytes = 0;
  const start = (sample: Buffer) => {
    const chosen = encoding === "auto" ? detectEncoding(sample) : encoding;
    // iconv strips a UTF-8 BOM by default; GBK files with a BOM are malformed and keep it visible.
    decoder = iconv.getDecoder(chosen === "utf-8-bom" ? "utf-8" : chosen);
  };
  const out = new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, done) {
      if (!decoder) {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes < SNIFF_BYTES) return done();
        const sample = Buffer.concat(head);
        head = [];
        start(sample);
        const text = decoder!.write(sample);
        return done(null, text || undefined);
      }
      const text = decoder.write(chunk);
      done(null, text || undefined);
    },
    flush(done) {
      if (!decoder) {
        const sample = Buffer.concat(head);
        start(sample);
        const text = decoder!.write(sample);
        if (text) this.push(text);
      }
      const rest = decoder!.end();
      if (rest) this.push(rest);
      done();
    },
  });
  input.on("error", (err) => out.destroy(err));
  return input.pipe(out);
}
