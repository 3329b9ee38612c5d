import { createHmac } from "node:crypto";

/**
 * Replaces a direct identifier by its keyed hash (HMAC-SHA-256, first 128 bits, hex): the same identifier gives the
 * same pseudonym for as long as the key is kept, so records of one household link across files, and without the key
 * a pseudonym cannot be reversed by hashing guesses. Values are trimmed first, so padding does not split one person.
 */
export function createPseudonymiser(key: Buffer): (value: string) => string {
  const memo = new Map<string, string>();
  return (value) => {
    const text = value.trim();
    let hit = memo.get(text);
    if (hit === undefined) {
      hit = `p_${createHmac("sha256", key).update(text, "utf8").digest("hex").slice(0, 32)}`;
      // Bounded: a file of distinct identifiers must not grow the memo without end.
      if (memo.size < 100_000) memo.set(text, hit);
    }
    return hit;
  };
}
