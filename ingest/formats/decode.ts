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

/** Picks the encoding of a sample: a BOM wins, valid UTF-8 is UTF-8, anything else is read as GB18030 (a superset of GBK). */
export function detectEncoding(sample: Uint8Array): "utf-8" | "utf-8-bom" | "gb18030" {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return "utf-8-bom";
  return isValidUtf8(sample) ? "utf-8" : "gb18030";
}

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
