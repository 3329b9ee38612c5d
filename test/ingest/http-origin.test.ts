import { mkdtempSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { CONNECTORS, connectorDeps } from "../../ingest/index.ts";
import { foreignOrigin, ForeignOriginError } from "../../ingest/connectors/page-origin.ts";
import { createLogger } from "../../runtime/logger.ts";
import { DataError } from "../../runtime/errors.ts";
import { captureBus } from "./helpers/capture-bus.ts";
import { startApiServer, type ApiServer, type Behaviour } from "./helpers/api-server.ts";
import { LONG_LAYOUT, testSpec } from "./helpers/specs.ts";

const RECORDS = Array.from({ length: 6 }, (_, i) => ({
  region: "330100",
  indicator: "life_expectancy",
  period: String(2020 + i),
  value: 80 + i / 10,
}));
const servers: ApiServer[] = [];
afterEach(async () => void (await Promise.all(servers.splice(0).map((s) => s.close()))));

/** The feed's API, and a second server on another port that must never see a request. */
async function setUp(
  api: (other: string) => Behaviour,
  pagination: Record<string, unknown> = { kind: "cursor", nextPath: "next" },
) {
  const other = await startApiServer(() => ({ status: 200, body: JSON.stringify({ data: RECORDS, next: null }) }));
  const feed = await startApiServer(api(other.url));
  servers.push(other, feed);
  const spec = testSpec({
    id: "origin-api",
    connector: {
      kind: "http-poll",
      url: `${feed.url}/api/indicators`,
      pagination,
      headersFromEnv: { Authorization: "ORIGIN_TOKEN" },
      retries: 0,
      backoffMs: 1,
      ratePerSecond: 1000,
    },
    format: { kind: "json", dataPath: "data" },
    layout: LONG_LAYOUT,
  });
  const capture = await captureBus([spec.id]);
  const lines: string[] = [];
  const logger = createLogger({
    level: "info",
    destination: new Writable({
      write: (c, _e, done) => {
        lines.push(String(c));
        done();
      },
    }),
  });
  const deps = connectorDeps({
    specs: [spec],
    bus: capture.bus,
    topics: capture.topics,
    dropRoot: tmpdir(),
    stateDir: mkdtempSync(join(tmpdir(), "gongfu-origin-state-")),
    logger,
    env: { ORIGIN_TOKEN: "Bearer t-origin" },
  });
  return { ...capture, feed, other, lines, poll: () => CONNECTORS["http-poll"](spec, deps).poll() };
}

describe("HTTP poll stays on the origin of the feed's URL", () => {
  it(
    "refuses a next-page cursor URL on another port: a foreign_origin dead letter naming the " +
      "feed and the URL without its query or credentials, and nothing fetched from it",
    async () => {
      const t = await setUp(
        (other) => (req, url) =>
          url.searchParams.has("after")
            ? {
                status: 200,
                body: JSON.stringify({
                  data: RECORDS.slice(3),
                  next: `${other.replace("//", "//thief:pw-9z@")}/steal?after=3&token=q-secret`,
                }),
              }
            : { status: 200, body: JSON.stringify({ data: RECORDS.slice(0, 3), next: `${self(req, url)}?after=3` }) },
      );
      const stats = await t.poll();
      expect(stats).toMatchObject({ files: 2, records: 6, failedFiles: 1, deadLetters: 1 });
      expect(t.other.requests).toEqual([]);
      expect(t.feed.requests.map((r) => r.path)).toEqual(["/api/indicators", "/api/indicators?after=3"]);
      const [letter] = t.dead();
      expect(letter!.reasons[0]!.code).toBe("foreign_origin");
      expect(letter!.source.uri).toBe(`${t.feed.url}/api/indicators?after=3`);
      const message = letter!.reasons[0]!.message;
      expect(message).toBe(
        `feed origin-api: the next page URL ${t.other.url}/steal is not on the feed's ` +
          `origin ${t.feed.url}; refused, nothing was fetched from it`,
      );
      const said = JSON.stringify(t.dead()) + t.lines.join("");
      for (const secret of ["q-secret", "pw-9z", "thief", "t-origin"]) expect(said).not.toContain(secret);
      expect(
        t.lines.some(
          (l) => l.includes("HTTP poll refused a URL on another origin") && l.includes(`${t.other.url}/steal`),
        ),
      ).toBe(true);
    },
  );

  it("resumes at the page that named the foreign URL on the next poll, refusing it again without producing that page twice", async () => {
    const t = await setUp((other) => () => ({
      status: 200,
      body: JSON.stringify({ data: RECORDS, next: `${other}/next` }),
    }));
    expect(await t.poll()).toMatchObject({ records: 6, failedFiles: 1 });
    expect(await t.poll()).toMatchObject({ records: 0, duplicates: 1, failedFiles: 1, deadLetters: 1 });
    expect(t.raw()).toHaveLength(6);
    expect(t.feed.requests.map((r) => r.path)).toEqual(["/api/indicators", "/api/indicators"]);
    expect(t.other.requests).toEqual([]);
  });

  it("follows a next-page URL and a redirect within the same origin", async () => {
    const t = await setUp(() => (req, url) => {
      if (url.pathname === "/api/indicators" && !url.searchParams.has("after"))
        return { status: 200, body: JSON.stringify({ data: RECORDS.slice(0, 3), next: `${self(req, url)}?after=3` }) };
      if (url.pathname === "/api/indicators")
        return { status: 301, headers: { location: "/api/v2/indicators?after=3" } };
      return { status: 200, body: JSON.stringify({ data: RECORDS.slice(3), next: null }) };
    });
    expect(await t.poll()).toMatchObject({ files: 2, records: 6, failedFiles: 0, deadLetters: 0 });
    expect(t.feed.requests.map((r) => r.path)).toEqual([
      "/api/indicators",
      "/api/indicators?after=3",
      "/api/v2/indicators?after=3",
    ]);
  });

  it("refuses a redirect to another origin, sending it neither a request nor the feed's token", async () => {
    const t = await setUp((other) => () => ({ status: 302, headers: { location: `${other}/moved?key=k-secret` } }), {
      kind: "none",
    });
    expect(await t.poll()).toMatchObject({ files: 1, records: 0, failedFiles: 1, deadLetters: 1 });
    expect(t.other.requests).toEqual([]);
    const [letter] = t.dead();
    expect(letter!.reasons[0]).toMatchObject({
      code: "foreign_origin",
      message: expect.stringContaining(`the redirect ${t.other.url}/moved is not on the feed's origin`),
    });
    expect(JSON.stringify(letter) + t.lines.join("")).not.toContain("k-secret");
  });

  it("compares scheme, host and port, and ignores credentials, path and query", () => {
    const base = "https://api.example.cn/v1/data?x=1";
    expect(foreignOrigin("f", "https://api.example.cn/v2?page=2", base, "next page URL")).toBeUndefined();
    expect(foreignOrigin("f", "https://API.example.cn:443/v2", base, "next page URL")).toBeUndefined();
    for (const url of [
      "http://api.example.cn/v2",
      "https://api.example.cn:8443/v2",
      "https://evil.example.cn/v2",
      "https://api.example.cn.evil.io/v2",
    ]) {
      const err = foreignOrigin("f", url, base, "next page URL");
      expect(err, url).toBeInstanceOf(ForeignOriginError);
      expect(err).toBeInstanceOf(DataError);
      expect(err!.retriable).toBe(false);
    }
    expect(foreignOrigin("f", "https://u:p@evil.example.cn/x?token=1#y", base, "next page URL")!.url).toBe(
      "https://evil.example.cn/x",
    );
  });
});

/** The absolute URL of a request without its query, as an API writes it in a next link. */
const self = (req: IncomingMessage, url: URL) => `http://${req.headers.host}${url.pathname}`;
