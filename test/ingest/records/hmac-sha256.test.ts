import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createHmacSha256Hex } from "../../../ingest/records/hmac-sha256.ts";
import { createPseudonymiser } from "../../../ingest/records/pseudonymise.ts";

const nodeHmac = (key: Uint8Array, text: string) => createHmac("sha256", key).update(text, "utf8").digest("hex");

describe("HMAC-SHA-256 with precomputed key blocks", () => {
  it("gives RFC 4231's test vectors", () => {
    // RFC 4231 test case 2 (short key) and 6 (key longer than a block).
    expect(createHmacSha256Hex(Buffer.from("Jefe"))("what do ya want for nothing?")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
    expect(createHmacSha256Hex(Buffer.alloc(131, 0xaa))("Test Using Larger Than Block-Size Key - Hash Key First")).toBe(
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    );
  });

  it("equals node:crypto at every length around the block boundaries", () => {
    const key = Buffer.from("a key of thirty-two bytes, exact");
    const hmac = createHmacSha256Hex(key);
    for (let n = 0; n <= 200; n++) {
      const text = "x".repeat(n);
      expect(hmac(text), `length ${n}`).toBe(nodeHmac(key, text));
    }
  });

  it("equals node:crypto on random keys and texts, ASCII or not, one function reused", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 150 }),
        fc.array(fc.oneof(fc.string({ maxLength: 130 }), fc.string({ unit: "binary", maxLength: 70 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (key, texts) => {
          const hmac = createHmacSha256Hex(key);
          for (const text of texts) expect(hmac(text)).toBe(nodeHmac(key, text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("truncates to the hex digits asked for", () => {
    const key = Buffer.from("k".repeat(32));
    expect(createHmacSha256Hex(key, 32)("HH0000000001")).toBe(nodeHmac(key, "HH0000000001").slice(0, 32));
  });

  it("leaves the pseudonyms as they were (first 128 bits of node:crypto's HMAC)", () => {
    const key = Buffer.from("k".repeat(32));
    const p = createPseudonymiser(key);
    for (const id of ["HH0000000001", " 110101199001011234 ", "户主甲", ""])
      expect(p(id)).toBe(`p_${nodeHmac(key, id.trim()).slice(0, 32)}`);
  });
});
