import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { SourceInput } from "./types.ts";

/** Runs `fn` with a source that can be opened more than once: a stream is first spooled to a temp file (disk, not memory). */
export async function* withReopenable<T>(
  input: SourceInput,
  fn: (open: () => Readable) => AsyncGenerator<T>,
): AsyncGenerator<T> {
  if (typeof input === "function") return yield* fn(input);
  const dir = mkdtempSync(join(tmpdir(), "gongfu-spool-"));
  try {
    const file = join(dir, "source");
    await pipeline(input, createWriteStream(file));
    yield* fn(() => createReadStream(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first `n` bytes of a source (fewer when it is shorter); the stream is closed afterwards. */
export async function readHead(input: Readable, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  try {
    for await (const chunk of input) {
      parts.push(chunk as Buffer);
      have += (chunk as Buffer).length;
      if (have >= n) break;
    }
  } finally {
    input.destroy();
  }
  return Buffer.concat(parts).subarray(0, n);
}
