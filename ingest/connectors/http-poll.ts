import type { FeedSpec } from "../../schemas/index.ts";
import { redactUrlCredentials } from "../../runtime/logger.ts";
import type { ConnectorState, PageMemo } from "../state-store.ts";
import { ingestDeadLetter } from "../dead-letters.ts";
import { produceRows } from "../produce-source.ts";
import { fetchWithRetry } from "./http-fetch.ts";
import type { SpooledBody } from "./http-body.ts";
import { head, readPage } from "./http-page.ts";
import { foreignOrigin, ForeignOriginError } from "./page-origin.ts";
import { firstCursor, nextCursor, pageUrl, type PageCursor } from "./pagination.ts";
import { createTokenBucket } from "./token-bucket.ts";
import { emptyStats, type Connector, type ConnectorDeps, type FeedRunStats } from "./types.ts";

export type HttpPollConfig = Extract<FeedSpec["connector"], { kind: "http-poll" }>;

/** Bad pages in a row after which a page/offset pass gives up until the next poll. */
const MAX_BAD_PAGES = 3;

/**
 * The HTTP poll connector: each poll walks the feed's pages (page, offset or cursor paging) from where the
 * last pass stopped, with conditional requests (ETag / If-Modified-Since; 304 produces nothing), retries with
 * backoff and jitter, and a rate limit. The cursor is stored after each page is produced, so a restart resumes
 * there; a response whose checksum was seen before is not produced again. Header values come from the
 * environment variables the spec names and are never logged. A next-page URL or a redirect to another origin
 * than the feed's URL is refused (a ForeignOriginError dead letter) and not fetched.
 */
export function createHttpPollConnector(
  spec: FeedSpec,
  deps: ConnectorDeps & { fetch?: typeof globalThis.fetch; random?: () => number },
): Connector {
  if (spec.connector.kind !== "http-poll") throw new TypeError(`feed ${spec.id} is not an http-poll feed`);
  const config: HttpPollConfig = spec.connector;
  const log = deps.logger.child({ feed: spec.id, connector: "http-poll" });
  const bucket = createTokenBucket(config.ratePerSecond);
  const fetchDeps = {
    fetch: deps.fetch ?? globalThis.fetch,
    bucket,
    log,
    ...(deps.random ? { random: deps.random } : {}),
  };
  const policy = {
    retries: config.retries,
    backoffMs: config.backoffMs,
    timeoutMs: config.timeoutMs,
    maxBytes: spec.limits.maxFileBytes,
  };
  const base = baseUrl(spec, config, deps.sampleHttpOrigin);
  /**
   * The URL a page is known by. A sample feed is fetched from the demo server's random port but named at the spec's
   * origin, so its records keep the same source URI (and keys) from one run to the next: a rerun after a crash
   * does not load them twice.
   */
  const namedUrl = (url: string): string => {
    if (!spec.sample) return url;
    const named = new URL(url);
    const configured = new URL(config.url);
    named.protocol = configured.protocol;
    named.host = configured.host;
    return named.toString();
  };

  const headers = (): Record<string, string> | string => {
    const out: Record<string, string> = { accept: "application/json", "user-agent": "gongfu" };
    for (const [name, variable] of Object.entries(config.headersFromEnv)) {
      const value = deps.env[variable];
      if (value === undefined || value === "")
        return `environment variable ${variable} (for header ${name}) is not set`;
      out[name.toLowerCase()] = value;
    }
    return out;
  };

  const deadLetter = async (url: string, code: string, message: string, payload: unknown = null) => {
    await deps.bus.publish(deps.topics.dlqIngest, [
      ingestDeadLetter(spec, url, {}, { code, message }, deps.now().toISOString(), payload),
    ]);
  };

  /** Produces one 200 response unless its checksum is known; returns what to remember about the page, or undefined for a bad page. */
  async function takePage(
    url: string,
    body: SpooledBody,
    validators: { etag?: string | undefined; lastModified?: string | undefined },
    state: ConnectorState,
    stats: FeedRunStats,
  ): Promise<PageMemo | undefined> {
    const checksum = body.checksum;
    const page = await readPage(body, spec);
    const known = state.sources[checksum];
    if (!page.ok) {
      stats.failedFiles++;
      if (!known) {
        await deadLetter(url, page.code, page.reason, head(body.path, 2000).toString("utf8"));
        stats.deadLetters++;
        state.sources[checksum] = { uri: url, at: deps.now().toISOString(), records: 0, rejected: 1 };
      }
      log.warn({ url, reason: page.reason }, "response not usable");
      return undefined;
    }
    if (known) stats.duplicates++;
    else {
      const lastModified =
        validators.lastModified && !Number.isNaN(Date.parse(validators.lastModified))
          ? new Date(validators.lastModified).toISOString()
          : undefined;
      const publishedAt = lastModified ?? state.producing?.[checksum] ?? deps.now().toISOString();
      state.producing = { [checksum]: publishedAt };
      deps.state.save(spec.id, state);
      const outcome = await produceRows(spec, { uri: url, checksum, publishedAt }, page.rows(), {
        bus: deps.bus,
        topics: deps.topics,
        now: deps.now,
        logger: log,
      });
      delete state.producing;
      stats.records += outcome.records;
      stats.rejected += outcome.rejected;
      stats.deadLetters += outcome.deadLetters;
      state.sources[checksum] = {
        uri: url,
        at: deps.now().toISOString(),
        records: outcome.records,
        rejected: outcome.rejected,
      };
    }
    return {
      ...(validators.etag ? { etag: validators.etag } : {}),
      ...(validators.lastModified ? { lastModified: validators.lastModified } : {}),
      checksum,
      records: page.records,
      ...(page.next ? { next: page.next } : {}),
    };
  }

  /** Fails the run at a URL on another origin; the next poll resumes at the page that pointed there. */
  async function refuse(err: ForeignOriginError, from: string, stats: FeedRunStats): Promise<void> {
    await deadLetter(from, err.code, err.message);
    stats.failedFiles++;
    stats.deadLetters++;
    log.error({ err, url: err.url }, "HTTP poll refused a URL on another origin");
  }

  async function poll(signal?: AbortSignal): Promise<FeedRunStats> {
    const stats = emptyStats(spec.id);
    if (base === undefined) {
      log.info("sample HTTP feed skipped: it is served only by `gongfu run --samples`");
      return stats;
    }
    const sent = headers();
    if (typeof sent === "string") {
      log.error({ problem: sent }, "feed not polled");
      stats.failedFiles++;
      return stats;
    }
    const state = deps.state.load(spec.id);
    const fromStart = state.cursor === undefined;
    let at: PageCursor = state.cursor ? (JSON.parse(state.cursor) as PageCursor) : firstCursor(config.pagination);
    const seen: Record<string, PageMemo> = {};
    let badInARow = 0;
    let from: { at: PageCursor; uri: string } | undefined; // the page whose response named the one to fetch
    for (let n = 0; n < config.maxPages && !signal?.aborted; n++) {
      const url = pageUrl(base, config.pagination, at);
      const away = foreignOrigin(spec.id, url, base, "next page URL");
      if (away) {
        await refuse(away, from?.uri ?? redactUrlCredentials(base), stats);
        if (from) state.cursor = JSON.stringify(from.at);
        else delete state.cursor;
        break;
      }
      const uri = redactUrlCredentials(namedUrl(url)); // what records, dead letters and logs name
      const memo = state.pages?.[url];
      const conditional = {
        ...sent,
        ...(memo?.etag ? { "if-none-match": memo.etag } : {}),
        ...(memo?.lastModified ? { "if-modified-since": memo.lastModified } : {}),
      };
      const result = await fetchWithRetry(url, conditional, policy, fetchDeps, signal);
      if (result.kind === "aborted") break;
      stats.files++;
      let page: PageMemo | undefined;
      if (result.kind === "failed") {
        await deadLetter(uri, "http_error", result.reason);
        stats.failedFiles++;
        stats.deadLetters++;
        log.error({ url: uri, reason: result.reason }, "HTTP poll stopped; the next poll resumes at this page");
        break;
      } else if (result.kind === "redirected-away") {
        await refuse(new ForeignOriginError(spec.id, new URL(result.to), new URL(base).origin, "redirect"), uri, stats);
        break;
      } else if (result.kind === "not-modified") {
        stats.duplicates++;
        page = memo;
      } else
        try {
          page = await takePage(uri, result.body, result, state, stats);
        } finally {
          result.body.remove();
        }
      if (page) {
        seen[url] = page;
        (state.pages ??= {})[url] = page;
      }
      badInARow = page ? 0 : badInARow + 1;
      // A bad page: page/offset paging steps over it (as if it were full); cursor paging cannot, and stops.
      const next = nextCursor(
        config.pagination,
        at,
        page ?? {
          records:
            config.pagination.kind === "offset"
              ? config.pagination.limit
              : config.pagination.kind === "page"
                ? config.pagination.size
                : 0,
        },
      );
      if (!page && (config.pagination.kind === "cursor" || badInARow >= MAX_BAD_PAGES)) break;
      if (next === undefined) {
        if (fromStart) state.pages = seen; // forget pages the API no longer has
        delete state.cursor;
        deps.state.save(spec.id, state);
        return stats;
      }
      state.cursor = JSON.stringify(next);
      deps.state.save(spec.id, state);
      from = { at, uri };
      at = next;
    }
    deps.state.save(spec.id, state);
    return stats;
  }

  return { kind: "http-poll", feed: spec.id, poll, close: async () => {} };
}

/** The URL to poll; a sample feed is pointed at the demo fixture server, and is not polled without one. */
function baseUrl(spec: FeedSpec, config: HttpPollConfig, sampleOrigin: string | undefined): string | undefined {
  if (!spec.sample) return config.url;
  if (!sampleOrigin) return undefined;
  const url = new URL(config.url);
  return new URL(`${url.pathname}${url.search}`, sampleOrigin).toString();
}
