import { createHmacSha256Hex } from "./hmac-sha256.ts";

/** Characters in a pseudonym: `p_` and 32 hex digits. */
export const PSEUDONYM_LENGTH = 34;

/**
 * An identifier's pseudonym under the key: `p_` and the first 128 bits, in hex, of HMAC-SHA-256 of the trimmed value
 * (padding must not split one person). The calling thread and the worker thread both make pseudonyms with this, so a
 * batch gives the same ones whichever thread hashed it. One function per thread (it keeps scratch buffers).
 */
export function createPseudonymOf(key: Uint8Array): (value: string) => string {
  const hmac = createHmacSha256Hex(key, 32);
  return (value) => `p_${hmac(value.trim())}`;
}
