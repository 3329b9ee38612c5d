import { setTimeout as sleep } from "node:timers/promises";
import { redactUrlCredentials, type Logger } from "../../runtime/logger.ts";
import { spoolBody, type SpooledBody } from "./http-body.ts";
import type { TokenBucket } from "./token-bucket.ts";

export interface RetryPolicy {
  retries: number;
  backoffMs: number;
  timeoutMs: number;
  /** Responses larger than this are refused (limits.maxFileBytes). */
  maxBytes: number;
}

export type FetchResult =
  /** The body is spooled to a temporary file: the caller reads it and calls `body.remove()`. */
  | { kind: "ok"; body: SpooledBody; etag: string | undefined; lastModified: string | undefined }
  | { kind: "not-modified" }
  | { kind: "failed"; reason: string }
  /** A redirect to another origin than the requested URL's: not followed. */
  | { kind: "redirected-away"; to: string }
  | { kind: "aborted" };

export interface FetchDeps {
  fetch: typeof globalThis.fetch;
  bucket: TokenBucket;
  log: Logger;
  random?: () => number;
}

const MAX_BACKOFF_MS = 30_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
const MAX_RETRY_AFTER_MS = 300_000;

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isNaN(ms) ? undefined : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/** Exponential backoff with full jitter: a random wait in [0, min(cap, base·2^attempt)). */
export function backoffMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(MAX_BACKOFF_MS, baseMs * 2 ** attempt));
}

/**
 * GETs a URL, following redirects only within its origin: fetch's own "follow" would carry the feed's headers to
 * any host. A redirect elsewhere is returned as `away`; past MAX_REDIRECTS the last 3xx response is returned.
 */
async function getWithinOrigin(
  url: string,
  init: RequestInit,
  fetch: typeof globalThis.fetch,
): Promise<Response | { away: string }> {
  const origin = new URL(url).origin;
  let current = url;
  for (let hop = 0; ; hop++) {
    const response = await fetch(current, { ...init, redirect: "manual" });
    const location = response.headers.get("location");
    if (!REDIRECT_STATUSES.has(response.status) || location === null || hop === MAX_REDIRECTS) return response;
    await response.body?.cancel();
    const next = new URL(location, current);
    if (next.origin !== origin) return { away: next.toString() };
    current = next.toString();
  }
}

/**
 * GETs one URL under the rate limit, retrying 5xx, 429 (after its Retry-After), timeouts and broken
 * connections with exponential backoff and full jitter. Headers are passed through and never logged. Redirects are
 * followed within the URL's origin only.
 */
export async function fetchWithRetry(
  url: string,
  headers: Record<string, string>,
  policy: RetryPolicy,
  deps: FetchDeps,
  stop?: AbortSignal,
): Promise<FetchResult> {
  let lastProblem = "";
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    let wait: number | undefined;
    try {
      await deps.bucket.take(stop);
      const signal = stop
        ? AbortSignal.any([stop, AbortSignal.timeout(policy.timeoutMs)])
        : AbortSignal.timeout(policy.timeoutMs);
      const response = await getWithinOrigin(url, { headers, signal }, deps.fetch);
      if ("away" in response) return { kind: "redirected-away", to: response.away };
      if (response.status === 304) return { kind: "not-modified" };
      if (response.ok) {
        const body = await spoolBody(response, { maxBytes: policy.maxBytes });
        if (typeof body === "string") return { kind: "failed", reason: body };
        return {
          kind: "ok",
          body,
          etag: response.headers.get("etag") ?? undefined,
          lastModified: response.headers.get("last-modified") ?? undefined,
        };
      }
      await response.body?.cancel();
      lastProblem = `HTTP ${response.status} ${response.statusText}`.trim();
      if (response.status !== 429 && response.status < 500) return { kind: "failed", reason: lastProblem };
      if (response.status === 429) wait = retryAfterMs(response.headers.get("retry-after"));
    } catch (err) {
      if (stop?.aborted) return { kind: "aborted" };
      const e = err as Error & { cause?: { code?: string } };
      // fetch quotes the URL in some messages (credentials in it): they reach dead letters and logs, so scrub them.
      lastProblem =
        e.name === "TimeoutError"
          ? `no answer within ${policy.timeoutMs} ms`
          : redactUrlCredentials(`${e.message}${e.cause?.code ? ` (${e.cause.code})` : ""}`);
    }
    if (attempt === policy.retries) break;
    const delay = wait ?? backoffMs(attempt, policy.backoffMs, deps.random);
    deps.log.warn(
      { url: redactUrlCredentials(url), attempt: attempt + 1, problem: lastProblem, retryInMs: delay },
      "HTTP request failed; retrying",
    );
    try {
      await sleep(delay, undefined, stop ? { signal: stop } : {});
    } catch {
      return { kind: "aborted" };
    }
  }
  return { kind: "failed", reason: `${lastProblem}, still after ${policy.retries} retries` };
}
