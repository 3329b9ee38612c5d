import { DataError } from "../../runtime/errors.ts";

/** A URL as messages may show it: scheme, host, port and path; never credentials, query string or fragment. */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * An API pointed a feed at another origin (scheme, host and port) than its configured URL, by a next-page URL in
 * a response or by a redirect. Following it would send the feed's headers (tokens from the environment) to a
 * host the spec never named, so it is refused and nothing is fetched from it.
 */
export class ForeignOriginError extends DataError {
  readonly code = "foreign_origin";
  readonly feed: string;
  /** The refused URL as `displayUrl` shows it. */
  readonly url: string;
  readonly origin: string;
  constructor(feed: string, refused: URL, origin: string, what: "next page URL" | "redirect") {
    super(
      `feed ${feed}: the ${what} ${displayUrl(refused)} is not on the feed's origin ${origin}; refused, nothing was fetched from it`,
      {
        hint: "an API must page and redirect within the origin of connector.url; if it moved, change connector.url",
      },
    );
    this.feed = feed;
    this.url = displayUrl(refused);
    this.origin = origin;
  }
}

/** The error for `url` when it is not on the origin of `base` (the URL the feed polls), else undefined. */
export function foreignOrigin(
  feed: string,
  url: string,
  base: string,
  what: "next page URL" | "redirect",
): ForeignOriginError | undefined {
  const target = new URL(url);
  const origin = new URL(base).origin;
  return target.origin === origin ? undefined : new ForeignOriginError(feed, target, origin, what);
}
