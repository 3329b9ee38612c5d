import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { CONNECTORS, connectorDeps } from "../../ingest/index.ts";
import { createLogger, silentLogger, type Logger } from "../../runtime/logger.ts";
import { captureBus } from "./helpers/capture-bus.ts";
import { pageOf, startApiServer, type ApiServer, type Behaviour } from "./helpers/api-server.ts";
import { LONG_LAYOUT, testSpec } from "./helpers/specs.ts";

const RECORDS = Array.from({ length: 250 }, (_, i) => ({
  region: "330100",
  indicator: "life_expectancy",
  period: String(2000 + (i % 26)),
  value: 80 + i / 1000,
  seq: i,
}));
let server: ApiServer | undefined;
afterEach(async () => void (await server?.close()));

function httpSpec(url: string, connector: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return testSpec({
    id: "health-api",
    connector: {
      kind: "http-poll",
      url: `${url}/api/indicators`,
      pagination: { kind: "page", size: 100 },
      backoffMs: 5,
      timeoutMs: 2000,
      ratePerSecond: 1000,
      ...connector,
    },
    format: { kind: "json", dataPath: "data" },
    layout: LONG_LAYOUT,
    ...extra,
  });
}

async function setUp(
  behaviour: Behaviour,
  connector: Record<string, unknown> = {},
  options: {
    logger?: Logger;
    env?: Record<string, string>;
    extra?: Record<string, unknown>;
    sampleHttpOrigin?: string;
  } = {},
) {
  server = await startApiServer(behaviour);
  const spec = httpSpec(server.url, connector, options.extra);
  const capture = await captureBus([spec.id]);
  const deps = connectorDeps({
    specs: [spec],
    bus: capture.bus,
    topics: capture.topics,
    dropRoot: tmpdir(),
    stateDir: mkdtempSync(join(tmpdir(), "gongfu-http-state-")),
    logger: options.logger ?? silentLogger(),
    env: options.env ?? {},
    ...(options.sampleHttpOrigin ? { sampleHttpOrigin: options.sampleHttpOrigin } : {}),
  });
  const connector_ = () => CONNECTORS["http-poll"](spec, deps);
  return { ...capture, server: server, spec, connect: connector_ };
}

/** Pages with an ETag per body, answering 304 to If-None-Match with the same tag. */
const withEtags: Behaviour = (req, url) => {
  const reply = pageOf(RECORDS, url);
  const etag = `"${createHash("sha256").update(reply.body!).digest("hex").slice(0, 16)}"`;
  return req.headers["if-none-match"] === etag ? { status: 304, headers: { etag } } : { ...reply, headers: { etag } };
};

describe("the HTTP poll connector", () => {
  it("walks page pagination until a short page, producing each record once with its page URL, offset and the body's checksum", async () => {
    const t = await setUp((_req, url) => pageOf(RECORDS, url));
    const stats = await t.connect().poll();
    expect(stats).toMatchObject({ files: 3, records: 250, deadLetters: 0 });
    const raw = t.raw();
    expect(raw.map((r) => r.fields["seq"])).toEqual(RECORDS.map((r) => String(r.seq)));
    const third = raw[200]!;
    expect(third.source).toEqual({
      feed: "health-api",
      uri: `${t.server.url}/api/indicators?page=3&pageSize=100`,
      position: { offset: 0 },
    });
    const body = JSON.stringify({ data: RECORDS.slice(200) });
    expect(third.checksum).toBe(createHash("sha256").update(body).digest("hex"));
    expect(t.server.requests.map((r) => r.path)).toEqual(
      [1, 2, 3].map((p) => `/api/indicators?page=${p}&pageSize=100`),
    );
  });

  it("sends the stored ETag back and produces nothing on 304 Not Modified", async () => {
    const t = await setUp(withEtags);
    await t.connect().poll();
    const again = await t.connect().poll();
    expect(again).toMatchObject({ files: 3, duplicates: 3, records: 0 });
    expect(t.raw()).toHaveLength(250);
    expect(t.server.requests.slice(3).every((r) => typeof r.headers["if-none-match"] === "string")).toBe(true);
  });

  it("does not produce a response again when its body is one it has seen (a server without validators)", async () => {
    const t = await setUp((_req, url) => pageOf(RECORDS, url));
    await t.connect().poll();
    expect(await t.connect().poll()).toMatchObject({ duplicates: 3, records: 0 });
    expect(t.raw()).toHaveLength(250);
  });

  it("follows offset and cursor pagination", async () => {
    const byOffset = await setUp(
      (_req, url) => ({
        status: 200,
        body: JSON.stringify({
          data: RECORDS.slice(
            Number(url.searchParams.get("offset")),
            Number(url.searchParams.get("offset")) + Number(url.searchParams.get("limit")),
          ),
        }),
      }),
      { pagination: { kind: "offset", limit: 120 } },
    );
    expect(await byOffset.connect().poll()).toMatchObject({ files: 3, records: 250 });
    await server!.close();
    const byCursor = await setUp(
      (_req, url) => {
        const from = Number(url.searchParams.get("cursor") ?? 0);
        return {
          status: 200,
          body: JSON.stringify({
            data: RECORDS.slice(from, from + 90),
            meta: { next: from + 90 < 250 ? String(from + 90) : null },
          }),
        };
      },
      { pagination: { kind: "cursor", nextPath: "meta.next" } },
    );
    expect(await byCursor.connect().poll()).toMatchObject({ files: 3, records: 250 });
    expect(byCursor.server.requests.map((r) => r.path)).toEqual([
      "/api/indicators",
      "/api/indicators?cursor=90",
      "/api/indicators?cursor=180",
    ]);
  });

  it("retries 5xx, 429 after its Retry-After, a timeout and a dropped connection, then produces the page once", async () => {
    const script = ["500", "429", "hang", "reset"];
    const t = await setUp(
      (_req, url, n) => {
        const what = script[n];
        if (what === "500") return { status: 500, body: "oops" };
        if (what === "429") return { status: 429, headers: { "retry-after": "0" } };
        if (what === "hang" || what === "reset") return what;
        return pageOf(RECORDS.slice(0, 10), url);
      },
      { timeoutMs: 300 },
    );
    expect(await t.connect().poll()).toMatchObject({ files: 1, records: 10, deadLetters: 0 });
    expect(t.server.requests).toHaveLength(5);
    expect(t.raw()).toHaveLength(10);
  });

  it("dead-letters a page that still fails after its retries, naming the URL, and resumes at that page on the next poll", async () => {
    let healthy = false;
    const t = await setUp(
      (_req, url) => (url.searchParams.get("page") === "2" && !healthy ? { status: 503 } : pageOf(RECORDS, url)),
      { retries: 2 },
    );
    expect(await t.connect().poll()).toMatchObject({ records: 100, deadLetters: 1 });
    expect(t.dead()[0]).toMatchObject({
      stage: "ingest",
      source: { uri: `${t.server.url}/api/indicators?page=2&pageSize=100` },
      reasons: [{ code: "http_error", message: expect.stringContaining("HTTP 503") }],
    });
    healthy = true;
    const before = t.server.requests.length;
    expect(await t.connect().poll()).toMatchObject({ records: 150 });
    expect(t.server.requests.slice(before).map((r) => r.path)).toEqual(
      [2, 3].map((p) => `/api/indicators?page=${p}&pageSize=100`),
    );
    expect(new Set(t.raw().map((r) => r.fields["seq"])).size).toBe(250);
  });

  it("gives a page produced again after a crash the same vintage, so downstream sees the same records", async () => {
    server = await startApiServer((_req, url) => pageOf(RECORDS.slice(0, 5), url));
    const spec = httpSpec(server.url);
    const capture = await captureBus([spec.id]);
    const stateDir = mkdtempSync(join(tmpdir(), "gongfu-http-state-"));
    let crash = true;
    const crashingBus = {
      ...capture.bus,
      publish: async (topic: string, records: Parameters<typeof capture.bus.publish>[1]) => {
        await capture.bus.publish(topic, records);
        if (crash) throw new Error("killed right after the broker acknowledged");
      },
    };
    const at = (iso: string) =>
      connectorDeps({
        specs: [spec],
        bus: crashingBus,
        topics: capture.topics,
        dropRoot: tmpdir(),
        stateDir,
        logger: silentLogger(),
        now: () => new Date(iso),
      });
    await expect(CONNECTORS["http-poll"](spec, at("2025-03-01T00:00:00Z")).poll()).rejects.toThrow(/killed/);
    crash = false;
    await CONNECTORS["http-poll"](spec, at("2025-03-02T00:00:00Z")).poll();
    const raw = capture.raw();
    expect(raw).toHaveLength(10);
    expect(new Set(raw.map((r) => r.vintage))).toEqual(new Set(["2025-03-01T00:00:00.000Z"]));
    expect(await CONNECTORS["http-poll"](spec, at("2025-03-03T00:00:00Z")).poll()).toMatchObject({
      records: 0,
      duplicates: 1,
    });
  });

  it("does not retry a 404", async () => {
    const t = await setUp(() => ({ status: 404, body: "{}" }));
    expect(await t.connect().poll()).toMatchObject({ deadLetters: 1 });
    expect(t.server.requests).toHaveLength(1);
  });

  it("dead-letters a page that is not JSON or cut off, with its URL, and still produces the good pages", async () => {
    const t = await setUp((_req, url) => {
      if (url.searchParams.get("page") === "2") return { status: 200, body: '{"data":[{"region":"330100"},{"reg' };
      return pageOf(RECORDS, url);
    });
    const stats = await t.connect().poll();
    expect(stats).toMatchObject({ records: 150, failedFiles: 1, deadLetters: 1 });
    expect(t.dead()).toEqual([
      expect.objectContaining({
        source: expect.objectContaining({ uri: expect.stringContaining("page=2") }),
        reasons: [expect.objectContaining({ code: "bad_response" })],
      }),
    ]);
    expect(t.raw().map((r) => Number(r.fields["seq"]))).toEqual(
      [...RECORDS.slice(0, 100), ...RECORDS.slice(200)].map((r) => r.seq),
    );
  });

  it("sends headers from the environment variables the spec names and never writes their values to the logs", async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: "trace",
      destination: new Writable({
        write: (c, _e, done) => {
          lines.push(String(c));
          done();
        },
      }),
    });
    const t = await setUp(
      (_req, _url, n) => (n === 0 ? { status: 500 } : { status: 200, body: '{"data":[]}' }),
      { headersFromEnv: { Authorization: "HEALTH_API_TOKEN" } },
      { logger, env: { HEALTH_API_TOKEN: "Bearer s3cr3t-t0ken" } },
    );
    await t.connect().poll();
    expect(t.server.requests.map((r) => r.headers["authorization"])).toEqual([
      "Bearer s3cr3t-t0ken",
      "Bearer s3cr3t-t0ken",
    ]);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("")).not.toContain("s3cr3t");
  });

  it("does not poll when a header's environment variable is missing", async () => {
    const t = await setUp(() => ({ status: 200, body: "[]" }), {
      headersFromEnv: { Authorization: "HEALTH_API_TOKEN" },
    });
    expect(await t.connect().poll()).toMatchObject({ failedFiles: 1, records: 0 });
    expect(t.server.requests).toHaveLength(0);
  });

  it("polls a sample feed only at the demo server's origin, keeping the spec's path", async () => {
    const idle = await setUp((_req, url) => pageOf(RECORDS.slice(0, 3), url), {}, { extra: { sample: true } });
    expect(await idle.connect().poll()).toMatchObject({ files: 0, records: 0 });
    expect(idle.server.requests).toHaveLength(0);
    await server!.close();
    const demo = await startApiServer((_req, url) => pageOf(RECORDS.slice(0, 3), url));
    try {
      const t = await setUp(() => ({ status: 500 }), {}, { extra: { sample: true }, sampleHttpOrigin: demo.url });
      expect(await t.connect().poll()).toMatchObject({ records: 3 });
      expect(demo.requests.map((r) => r.path)).toEqual(["/api/indicators?page=1&pageSize=100"]);
    } finally {
      await demo.close();
    }
  });

  it("names a sample feed's pages at the spec's origin, not the demo server's port, so a rerun gives the same records", async () => {
    const runOn = async () => {
      const demo = await startApiServer((_req, url) => pageOf(RECORDS.slice(0, 3), url));
      try {
        const t = await setUp(() => ({ status: 500 }), {}, { extra: { sample: true }, sampleHttpOrigin: demo.url });
        await t.connect().poll();
        return {
          raw: t.raw(),
          specUrl: t.spec.connector.kind === "http-poll" ? t.spec.connector.url : "",
          demo: demo.url,
        };
      } finally {
        await demo.close();
        await server?.close();
      }
    };
    const first = await runOn();
    const second = await runOn();
    expect(first.demo).not.toBe(second.demo);
    const uris = (r: typeof first) => [...new Set(r.raw.map((x) => x.source.uri))];
    expect(uris(first)).toEqual([`${new URL(first.specUrl).origin}/api/indicators?page=1&pageSize=100`]);
    expect(uris(second)).toEqual([`${new URL(second.specUrl).origin}/api/indicators?page=1&pageSize=100`]);
    expect(uris(first)[0]).not.toContain(new URL(first.demo).port);
  });
});
