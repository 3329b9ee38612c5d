import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import iconv from "iconv-lite";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { CONNECTORS, connectorDeps } from "../../ingest/index.ts";
import { silentLogger } from "../../runtime/logger.ts";
import { captureBus } from "../ingest/helpers/capture-bus.ts";
import { LONG_LAYOUT, testSpec } from "../ingest/helpers/specs.ts";
import { writeSection } from "./results-file.ts";

const MB = 1024 ** 2;
const figures: string[] = [];
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

async function serve(handler: (res: ServerResponse) => void): Promise<string> {
  server = createServer((_req, res) => handler(res));
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}

let child: ChildProcess | undefined;
afterAll(() => child?.kill("SIGKILL"));

const ENDLESS = `
const http = require("node:http");
const chunk = Buffer.alloc(1024 * 1024, 0x20);
const server = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.write('{"data":[');
  const more = () => { while (res.write(chunk)); res.once("drain", more); };
  more();
  req.socket.on("close", () => res.destroy());
});
server.listen(0, "127.0.0.1", () => process.stdout.write(String(server.address().port) + "\\n"));
`;

async function endlessServer(): Promise<string> {
  child = spawn(process.execPath, ["-e", ENDLESS], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve) =>
    child!.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim())),
  );
  return `http://127.0.0.1:${port}`;
}

// Spooled bodies go to a temporary folder of this file's own (os.tmpdir() reads TMPDIR at each call): test files
// running beside this one spool their HTTP bodies too, and counting a shared folder raced with them.
const ownTmp = mkdtempSync(join(tmpdir(), "gongfu-http-bounded-"));
process.env["TMPDIR"] = ownTmp;
const spooled = () => readdirSync(tmpdir()).filter((f) => f.startsWith("gongfu-http-body-")).length;

/** Polls the feed once, sampling this process's RSS every 10 ms: returns the stats and the peak growth. */
async function pollMeasured(url: string, limits?: { maxFileBytes: number; maxRecordBytes: number }) {
  const spec = testSpec({
    id: "health-api",
    connector: { kind: "http-poll", url: `${url}/api`, pagination: { kind: "none" }, retries: 0, timeoutMs: 60_000 },
    format: { kind: "json", dataPath: "data" },
    layout: LONG_LAYOUT,
    ...(limits ? { limits } : {}),
  });
  const capture = await captureBus([spec.id]);
  const deps = connectorDeps({
    specs: [spec],
    bus: capture.bus,
    topics: capture.topics,
    dropRoot: tmpdir(),
    stateDir: mkdtempSync(join(tmpdir(), "gongfu-bounded-state-")),
    logger: silentLogger(),
    env: {},
  });
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  try {
    const stats = await CONNECTORS["http-poll"](spec, deps).poll();
    return {
      stats,
      growthMb: Math.round((peak - base) / MB),
      seconds: ((performance.now() - started) / 1000).toFixed(1),
      dead: capture.dead(),
      raw: capture.raw(),
    };
  } finally {
    clearInterval(sampler);
  }
}

describe("HTTP feeds stream each page with bounded memory", { timeout: 180_000 }, () => {
  afterAll(async () => {
    rmSync(ownTmp, { recursive: true, force: true });
    await writeSection(
      "http-bounded",
      [
        "## HTTP feeds: bounded memory, decompression bombs, encodings",
        "",
        "`test/reliability/http-bounded.test.ts`. Each response is streamed to a temporary file while its decoded bytes",
        "are counted, then read by the same streaming JSON reader as a dropped file (`readRows`). RSS growth is the peak",
        "of the test process (sampled every 10 ms) above its level before the poll.",
        "",
        "| response | outcome |",
        "|---|---|",
        ...figures,
      ].join("\n"),
    );
  });

  it("stops an endless response at limits.maxFileBytes without holding it in memory", async () => {
    // The endless server runs in a process of its own, so the RSS measured is the poller's alone.
    const url = await endlessServer();
    const before = spooled();
    const r = await pollMeasured(url, { maxFileBytes: 512 * MB, maxRecordBytes: 64 * 1024 });
    expect(r.stats).toMatchObject({ records: 0, deadLetters: 1 });
    expect(r.dead[0]?.reasons[0]?.message).toMatch(/larger than the feed's limit of 536870912 bytes/);
    // Garbage chunks wait for the GC, but nothing near the 512 MB the old reader held.
    expect(r.growthMb).toBeLessThan(192);
    expect(spooled()).toBe(before);
    figures.push(
      `| endless body (1 MiB chunks, never ends), \`limits.maxFileBytes\` 512 MiB | refused ` +
        `after 512 MiB in ${r.seconds} s: one \`http_error\` dead letter (\`${r.dead[0]?.reasons[0]?.message}\`); ` +
        `RSS grew ${r.growthMb} MB (the whole body was held before: ≥ 512 MB); no temporary ` +
        `file left |`,
    );
  });

  it("refuses a gzip bomb by its decompression ratio, streaming", async () => {
    const bomb = gzipSync(Buffer.alloc(400 * MB, 0x20), { level: 9 });
    const url = await serve((res) => {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-encoding": "gzip",
        "content-length": String(bomb.length),
      });
      res.end(bomb);
    });
    const r = await pollMeasured(url);
    expect(r.stats).toMatchObject({ records: 0, deadLetters: 1 });
    expect(r.dead[0]?.reasons[0]?.message).toMatch(/inflates beyond 200 times its size .*decompression bomb/);
    expect(r.growthMb).toBeLessThan(64);
    figures.push(
      `| gzip bomb: ${(bomb.length / 1024).toFixed(0)} KiB inflating to 400 MiB, default ` +
        `limits (2 GiB) | refused past 100 MiB decoded in ${r.seconds} s (\`${r.dead[0]?.reasons[0]?.message}\`); ` +
        `RSS grew ${r.growthMb} MB |`,
    );
  });

  it("reads a GB18030 page as the file reader does, rather than as UTF-8 only", async () => {
    const body = JSON.stringify({
      data: [{ region: "杭州市", indicator: "life_expectancy", period: "2023", value: 83.1, unit: "岁" }],
    });
    const url = await serve((res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(iconv.encode(body, "gb18030"));
    });
    const r = await pollMeasured(url);
    expect(r.stats).toMatchObject({ records: 1, deadLetters: 0 });
    expect(r.raw[0]?.fields).toMatchObject({ region: "杭州市", unit: "岁" });
    figures.push(
      "| a JSON page in GB18030 (no charset) | read by the file reader's encoding detection: " +
        "`region` = 杭州市, `unit` = 岁 (the UTF-8-only page reader turned them into U+FFFD) |",
    );
  });
});
