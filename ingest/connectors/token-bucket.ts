import { setTimeout as sleep } from "node:timers/promises";

/** A token bucket: at most `ratePerSecond` requests a second on average, bursts up to one second's worth. */
export function createTokenBucket(ratePerSecond: number, now: () => number = Date.now) {
  const capacity = Math.max(1, ratePerSecond);
  let tokens = capacity;
  let last = now();
  const refill = () => {
    const t = now();
    tokens = Math.min(capacity, tokens + ((t - last) / 1000) * ratePerSecond);
    last = t;
  };
  return {
    /** Waits for a token; rejects with an AbortError when `signal` aborts first. */
    async take(signal?: AbortSignal): Promise<void> {
      for (;;) {
        refill();
        if (tokens >= 1) {
          tokens -= 1;
          return;
        }
        await sleep(Math.ceil(((1 - tokens) / ratePerSecond) * 1000), undefined, signal ? { signal } : {});
      }
    },
  };
}
export type TokenBucket = ReturnType<typeof createTokenBucket>;
