import type { FeedSpec } from "../../schemas/index.ts";

type HttpPoll = Extract<FeedSpec["connector"], { kind: "http-poll" }>;
export type Pagination = HttpPoll["pagination"];

/** Which page to ask for: a page number, an offset, or a cursor (null: the first page). */
export type PageCursor = { page: number } | { offset: number } | { cursor: string | null } | { none: true };

export function firstCursor(p: Pagination): PageCursor {
  switch (p.kind) {
    case "page":
      return { page: p.start };
    case "offset":
      return { offset: 0 };
    case "cursor":
      return { cursor: null };
    case "none":
      return { none: true };
  }
}

/** The URL of one page: the feed URL with the paging parameters set (a cursor that is itself a URL is used as is). */
export function pageUrl(base: string, p: Pagination, at: PageCursor): string {
  const url = new URL(base);
  if (p.kind === "page" && "page" in at) {
    url.searchParams.set(p.param, String(at.page));
    url.searchParams.set(p.sizeParam, String(p.size));
  } else if (p.kind === "offset" && "offset" in at) {
    url.searchParams.set(p.param, String(at.offset));
    url.searchParams.set(p.limitParam, String(p.limit));
  } else if (p.kind === "cursor" && "cursor" in at && at.cursor !== null) {
    if (/^https?:\/\//i.test(at.cursor)) return new URL(at.cursor, base).toString();
    url.searchParams.set(p.param, at.cursor);
  }
  return url.toString();
}

/** The page after this one, or undefined after the last: a short page ends page/offset paging, a missing cursor ends cursor paging. */
export function nextCursor(
  p: Pagination,
  at: PageCursor,
  page: { records: number; next?: string | undefined },
): PageCursor | undefined {
  if (p.kind === "page" && "page" in at) return page.records >= p.size ? { page: at.page + 1 } : undefined;
  if (p.kind === "offset" && "offset" in at)
    return page.records >= p.limit ? { offset: at.offset + page.records } : undefined;
  if (p.kind === "cursor") return page.next ? { cursor: page.next } : undefined;
  return undefined;
}
