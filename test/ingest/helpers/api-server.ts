import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** What the fake department API does with the n-th request (from 0): answer, never answer, or drop the connection. */
export type Behaviour = (
  req: IncomingMessage,
  url: URL,
  n: number,
) => Reply | "hang" | "reset" | Promise<Reply | "hang" | "reset">;

export interface ApiServer {
  url: string;
  /** Every request: path with query, and its headers. */
  requests: { path: string; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
}

/** A local node:http server standing in for a department's JSON API. */
export async function startApiServer(behaviour: Behaviour): Promise<ApiServer> {
  const requests: ApiServer["requests"] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://api");
    requests.push({ path: `${url.pathname}${url.search}`, headers: req.headers });
    const reply = await behaviour(req, url, requests.length - 1);
    if (reply === "hang") return void hanging.add(res);
    if (reply === "reset") return void req.socket.destroy();
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Pages of `{data:[...]}` over `records`, by `page`/`pageSize` as the spec's defaults name them. */
export function pageOf(records: unknown[], url: URL): Reply {
  const page = Number(url.searchParams.get("page") ?? 1);
  const size = Number(url.searchParams.get("pageSize") ?? records.length);
  return { status: 200, body: JSON.stringify({ data: records.slice((page - 1) * size, page * size) }) };
}
