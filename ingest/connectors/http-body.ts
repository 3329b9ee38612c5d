import { createHash } from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The XLSX zip-bomb rule, applied to a compressed HTTP body: refused past 200 times its size and 100 MiB. */
export const MAX_INFLATION_RATIO = 200;
export const INFLATION_FLOOR_BYTES = 100 * 1024 ** 2;

/** A response body written to a temporary file as it arrives: memory holds one chunk, never the body. */
export interface SpooledBody {
  path: string;
  /** Bytes after content decoding (gzip, deflate, br), as the readers see them. */
  bytes: number;
  /** sha256 of those bytes, hex. */
  checksum: string;
  /** Removes the file; safe to call twice. */
  remove(): void;
}

export interface SpoolLimits {
  /** limits.maxFileBytes: counted on the decoded bytes, while they arrive. */
  maxBytes: number;
}

/**
 * Streams a response body to a temporary file, counting the decoded bytes: past `maxBytes`, or past 200 times the
 * compressed size the server declared (Content-Length of a Content-Encoding'd body) and 100 MiB, the download
 * stops and the reason is returned; the file is removed. A broken connection throws, as reading the body would.
 */
export async function spoolBody(response: Response, limits: SpoolLimits): Promise<SpooledBody | string> {
  const encoding = response.headers.get("content-encoding");
  const declared = Number(response.headers.get("content-length"));
  const compressed = encoding && encoding !== "identity" && Number.isFinite(declared) && declared > 0 ? declared : 0;
  const dir = mkdtempSync(join(tmpdir(), "gongfu-http-body-"));
  const path = join(dir, "body");
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const hash = createHash("sha256");
  let bytes = 0;
  const fd = openSync(path, "w");
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  const stop = (reason: string) => {
    close();
    remove();
    return reason;
  };
  try {
    for await (const chunk of response.body ?? []) {
      bytes += chunk.length;
      // Leaving the loop cancels the body: nothing more is downloaded.
      if (bytes > limits.maxBytes)
        return stop(`the response is larger than the feed's limit of ${limits.maxBytes} bytes (limits.maxFileBytes)`);
      if (compressed > 0 && bytes > INFLATION_FLOOR_BYTES && bytes > compressed * MAX_INFLATION_RATIO)
        return stop(
          `the ${encoding} response of ${compressed} bytes inflates beyond ${MAX_INFLATION_RATIO} ` +
            `times its size and ${INFLATION_FLOOR_BYTES} bytes (a decompression bomb)`,
        );
      hash.update(chunk);
      for (let written = 0; written < chunk.length; ) written += writeSync(fd, chunk, written, chunk.length - written);
    }
    close();
  } catch (err) {
    close();
    remove();
    throw err;
  }
  return { path, bytes, checksum: hash.digest("hex"), remove };
}
