import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { Encoding } from "../../schemas/index.ts";
import { decodeStream } from "./decode.ts";

/** A UTF-8 copy of a file in a temporary folder, decoded exactly as the JavaScript reader decodes it; `remove` deletes it. */
export interface Utf8Copy {
  path: string;
  remove(): void;
}

/**
 * Transcodes a GBK, GB18030 or UTF-16 file to UTF-8 as a stream, so DuckDB can read it: the text is the one the
 * JavaScript reader would see (a byte that is no character becomes U+FFFD, which then leaves the file to it).
 */
export async function utf8Copy(path: string, encoding: Encoding): Promise<Utf8Copy> {
  const dir = mkdtempSync(join(tmpdir(), "gongfu-utf8-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const copy = join(dir, "source.csv");
  try {
    await pipeline(decodeStream(createReadStream(path), encoding), createWriteStream(copy));
  } catch (err) {
    remove();
    throw err;
  }
  return { path: copy, remove };
}
