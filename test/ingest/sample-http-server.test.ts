import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSampleHttpServer, type SampleHttpServer } from "../../cli/sample-http-server.ts";

const RECORDS = Array.from({ length: 7 }, (_, i) => ({ areaCode: "330100", year: 2020 + i, value: i }));
let server: SampleHttpServer;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "gongfu-sample-http-"));
  writeFileSync(join(dir, "health-indicators.json"), JSON.stringify({ notice: "样例数据", data: RECORDS }));
  writeFileSync(join(dir, "list.json"), JSON.stringify(RECORDS));
  server = await startSampleHttpServer({ dir });
});
afterAll(async () => server.close());

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${server.origin}${path}`, { headers });
  return {
    status: res.status,
    etag: res.headers.get("etag"),
    body:
      res.status === 200 ? ((await res.json()) as { data: unknown[]; total: number; next: string | null }) : undefined,
  };
};

describe("the demo fixture HTTP server", () => {
  it("listens on a loopback port and serves a file by the tail of the request path", async () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await get("/api/health/indicators")).body).toMatchObject({ total: 7, data: RECORDS });
    expect((await get("/v2/list")).body?.data).toEqual(RECORDS);
    expect((await get("/nothing/here")).status).toBe(404);
    expect((await get("/../../etc/passwd")).status).toBe(404);
  });

  it("pages by page/pageSize, offset/limit and cursor", async () => {
    expect((await get("/health/indicators?page=3&pageSize=3")).body).toMatchObject({
      data: RECORDS.slice(6),
      next: null,
    });
    expect((await get("/health/indicators?offset=2&limit=2")).body?.data).toEqual(RECORDS.slice(2, 4));
    const first = (await get("/health/indicators?limit=4")).body!;
    expect(first.data).toEqual(RECORDS.slice(0, 4));
    expect((await get(`/health/indicators?cursor=${first.next}&limit=4`)).body).toMatchObject({
      data: RECORDS.slice(4),
      next: null,
    });
  });

  it("answers 304 Not Modified to the ETag it gave", async () => {
    const first = await get("/health/indicators?page=1&pageSize=5");
    expect(first.etag).toMatch(/^".+"$/);
    expect((await get("/health/indicators?page=1&pageSize=5", { "if-none-match": first.etag! })).status).toBe(304);
    expect((await get("/health/indicators?page=2&pageSize=5", { "if-none-match": first.etag! })).status).toBe(200);
    expect(server.requests.at(-2)).toEqual({ url: "/health/indicators?page=1&pageSize=5", status: 304 });
  });
});
