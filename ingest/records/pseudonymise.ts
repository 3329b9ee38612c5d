import { createHash, type Hash } from "node:crypto";

/** SHA-256's block: HMAC pads (or first hashes) the key to it. */
const BLOCK = 64;

/**
 * Replaces a direct identifier by its keyed hash (HMAC-SHA-256, first 128 bits, hex): the same identifier gives the
 * same pseudonym for as long as the key is kept, so records of one household link across files, and without the key
 * a pseudonym cannot be reversed by hashing guesses. Values are trimmed first, so padding does not split one person.
 *
 * HMAC(K, m) = H((K' xor opad) || H((K' xor ipad) || m)). The two keyed prefixes are hashed once per key and copied
 * per value, instead of createHmac redoing the key schedule for every identifier: the same digest, about half the
 * work for a file of distinct identifiers (test/ingest/pseudonymise.test.ts checks it against createHmac).
 */
export function createPseudonymiser(key: Buffer): (value: string) => string {
  const padded = Buffer.alloc(BLOCK);
  (key.length > BLOCK ? createHash("sha256").update(key).digest() : key).copy(padded);
  const keyed = (pad: number): Hash => createHash("sha256").update(Buffer.from(padded.map((b) => b ^ pad)));
  const inner = keyed(0x36);
  const outer = keyed(0x5c);
  const memo = new Map<string, string>();
  return (value) => {
    const text = value.trim();
    let hit = memo.get(text);
    if (hit === undefined) {
      const digest = outer.copy().update(inner.copy().update(text, "utf8").digest()).digest("hex");
      hit = `p_${digest.slice(0, 32)}`;
      // Bounded: a file of distinct identifiers must not grow the memo without end.
      if (memo.size < 100_000) memo.set(text, hit);
    }
    return hit;
  };
}
