// Retries with exponential back-off; errors that say retrying cannot help (retriable: false) stop at once.
import { errorMessage } from "../../runtime/errors.ts";
import type { Clock } from "./clock.ts";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 60_000, maxDelayMs: 30 * 60_000 };

export type RetryOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | { readonly ok: false; readonly error: string; readonly attempts: number; readonly retriable: boolean };

/** Delay before attempt k + 1 after k failures: base · 2^(k-1), capped. */
export function backoffMs(policy: RetryPolicy, failures: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
}

export async function withRetry<T>(
  policy: RetryPolicy,
  clock: Clock,
  fn: (attempt: number) => Promise<T>,
  onFailure: (err: unknown, attempt: number, delayMs: number | null) => void,
): Promise<RetryOutcome<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await fn(attempt), attempts: attempt };
    } catch (err) {
      const retriable = (err as { retriable?: unknown }).retriable !== false;
      const last = !retriable || attempt >= policy.attempts;
      const delay = last ? null : backoffMs(policy, attempt);
      onFailure(err, attempt, delay);
      if (delay === null) return { ok: false, error: errorMessage(err), attempts: attempt, retriable };
      await clock.sleep(delay);
    }
  }
}
