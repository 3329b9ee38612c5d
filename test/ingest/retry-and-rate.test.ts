import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffMs, retryAfterMs } from "../../ingest/connectors/http-fetch.ts";
import { createTokenBucket } from "../../ingest/connectors/token-bucket.ts";
import { firstCursor, nextCursor, pageUrl } from "../../ingest/connectors/pagination.ts";

describe("backoff with full jitter", () => {
  it("waits a random time below base·2^attempt, capped at 30 s", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, base, r) => {
          const wait = backoffMs(attempt, base, () => r);
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(wait).toBeLessThan(Math.max(1, Math.min(30_000, base * 2 ** attempt)));
        },
      ),
      { seed: 7, numRuns: 300 },
    );
    expect(backoffMs(3, 500, () => 0.5)).toBe(2000);
  });

  it("reads Retry-After as seconds or as an HTTP date, and caps it", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterMs("2", now)).toBe(2000);
    expect(retryAfterMs("Wed, 01 Jan 2025 00:00:10 GMT", now)).toBe(10_000);
    expect(retryAfterMs("86400", now)).toBe(300_000);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe("the token bucket", () => {
  it("lets a second's worth of requests through at once, then one per 1/rate seconds", async () => {
    let clock = 0;
    const bucket = createTokenBucket(4, () => clock);
    for (let i = 0; i < 4; i++) await bucket.take();
    let fifth = false;
    const pending = bucket.take().then(() => (fifth = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(fifth).toBe(false);
    clock += 250; // a quarter second refills one token
    await pending;
    expect(fifth).toBe(true);
  });

  it("stops waiting when its signal aborts", async () => {
    const bucket = createTokenBucket(0.01, () => 0);
    await bucket.take();
    await expect(bucket.take(AbortSignal.timeout(20))).rejects.toThrow();
  });
});

describe("pagination", () => {
  it("numbers pages from the spec's start and stops at a short page", () => {
    const p = { kind: "page", param: "p", sizeParam: "n", size: 2, start: 0 } as const;
    const first = firstCursor(p);
    expect(pageUrl("https://api.example/x?lang=zh", p, first)).toBe("https://api.example/x?lang=zh&p=0&n=2");
    expect(nextCursor(p, first, { records: 2 })).toEqual({ page: 1 });
    expect(nextCursor(p, first, { records: 1 })).toBeUndefined();
  });

  it("uses a cursor that is a whole URL as the next URL", () => {
    const p = { kind: "cursor", param: "cursor", nextPath: "next" } as const;
    expect(pageUrl("https://api.example/x", p, { cursor: "https://api.example/x?after=9" })).toBe(
      "https://api.example/x?after=9",
    );
    expect(nextCursor(p, { cursor: null }, { records: 5 })).toBeUndefined();
  });
});
