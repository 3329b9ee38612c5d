/**
 * DEMO FIXTURE, not part of the pipeline. A tiny HTTP server that stands in for a department's JSON API so
 * that `gongfu run --samples` runs the real http-poll connector against something: it serves the sample data
 * files in samples/http/ on a free loopback port, with paging and ETags like a real open-data API.
 *
 * Routes: a request path is served from the first file in samples/http/ named after a tail of its segments
 * joined with `-`: `/api/health/indicators` → `api-health-indicators.json`, `health-indicators.json` or
 * `indicators.json`. The file holds an array of records, or an object with a `data` array.
 * Paging (the feed spec's default parameter names): `page` + `pageSize` (from 1), `offset` + `limit`, or
 * `cursor` (+ `limit`); without them the whole array. The body is `{ data, total, page?, pageSize?, next }`.
 * Every body has an ETag (its sha256); `If-None-Match` with it answers 304 Not Modified.
 *
 * It sits in cli/ because `gongfu run --samples` starts it; samples/ holds only data, which nothing that ships imports.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const SAMPLE_HTTP_DIR = fileURLToPath(new URL("../samples/http/", import.meta.url));

export interface SampleHttpServer {
  /** `http://127.0.0.1:<port>`: sample feeds (`sample: true`) get this origin instead of their spec URL's. */
  origin: string;
  /** Requests answered so far (method, path with query, status), for tests and the curious. */
  readonly requests: readonly { url: string; status: number }[];
  close(): Promise<void>;
}

function fileFor(dir: string, pathname: string): string | undefined {
  const segments = pathname.split("/").filter((s) => /^[\w.-]+$/.test(s) && s !== ".." && s !== ".");
  for (let i = 0; i < segments.length; i++) {
    const file = join(
      dir,
      `${segments
        .slice(i)
        .join("-")
        .replace(/\.json$/, "")}.json`,
    );
    if (existsSync(file)) return file;
  }
  return undefined;
}

function recordsOf(file: string): unknown[] {
  const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
  if (Array.isArray(parsed)) return parsed;
  const data = (parsed as { data?: unknown } | null)?.data;
  if (Array.isArray(data)) return data;
  throw new Error(`${file} holds neither an array nor an object with a data array`);
}

function page(records: unknown[], q: URLSearchParams): Record<string, unknown> {
  const total = records.length;
  const size = Number(q.get("pageSize") ?? q.get("limit") ?? total);
  if (q.has("page")) {
    const p = Math.max(1, Number(q.get("page")));
    return {
      data: records.slice((p - 1) * size, p * size),
      total,
      page: p,
      pageSize: size,
      next: p * size < total ? String(p + 1) : null,
    };
  }
  const from = q.has("cursor")
    ? Number(Buffer.from(q.get("cursor")!, "base64url").toString())
    : Number(q.get("offset") ?? 0);
  const to = from + size;
  return {
    data: records.slice(from, to),
    total,
    next: to < total ? Buffer.from(String(to)).toString("base64url") : null,
  };
}

export async function startSampleHttpServer(options: { dir?: string; host?: string } = {}): Promise<SampleHttpServer> {
  const dir = options.dir ?? SAMPLE_HTTP_DIR;
  const requests: { url: string; status: number }[] = [];
  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body?: string,
    headers: Record<string, string> = {},
  ) => {
    requests.push({ url: req.url ?? "", status });
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(body);
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fixture");
    const file = req.method === "GET" ? fileFor(dir, url.pathname) : undefined;
    if (!file) return answer(req, res, 404, JSON.stringify({ error: `no sample data for ${url.pathname}` }));
    try {
      const body = JSON.stringify(page(recordsOf(file), url.searchParams));
      const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`;
      const headers = { etag, "last-modified": statSync(file).mtime.toUTCString() };
      if (req.headers["if-none-match"] === etag) return answer(req, res, 304, undefined, headers);
      answer(req, res, 200, body, headers);
    } catch (err) {
      answer(req, res, 500, JSON.stringify({ error: (err as Error).message }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, options.host ?? "127.0.0.1", resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    origin: `http://${options.host ?? "127.0.0.1"}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // pollers keep connections alive
      }),
  };
}
