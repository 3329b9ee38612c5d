import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { hostname } from "node:os";
import { runIngestOnce, startIngestDaemon, type IngestDaemon } from "../../ingest/index.ts";
import { silentLogger } from "../../runtime/logger.ts";
import { captureBus } from "./helpers/capture-bus.ts";
import { pageOf, startApiServer, type ApiServer } from "./helpers/api-server.ts";
import { LONG_LAYOUT, testSpec } from "./helpers/specs.ts";

const CSV = "地区,年份,居民人均可支配收入\n杭州市,2024,79323\n";
let daemon: IngestDaemon | undefined;
let api: ApiServer | undefined;
afterEach(async () => {
  await daemon?.stop();
  await api?.close();
});

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("the ingest daemon", () => {
  it("picks up files dropped while it runs, polls HTTP feeds on their interval, and stops cleanly", async () => {
    const base = mkdtempSync(join(tmpdir(), "gongfu-daemon-"));
    const drop = testSpec({ id: "drop-feed", connector: { kind: "file-drop", path: "drop", pattern: "*.csv" } });
    let version = 1;
    api = await startApiServer((_req, url) =>
      pageOf([{ region: "330100", indicator: "life_expectancy", period: "2024", value: String(80 + version) }], url),
    );
    const http = testSpec({
      id: "api-feed",
      connector: { kind: "http-poll", url: `${api.url}/x`, pollSeconds: 1, backoffMs: 5 },
      format: { kind: "json", dataPath: "data" },
      layout: LONG_LAYOUT,
    });
    const t = await captureBus(["drop-feed", "api-feed"]);
    daemon = await startIngestDaemon({
      specs: [drop, http],
      bus: t.bus,
      topics: t.topics,
      dropRoot: join(base, "inbox"),
      stateDir: join(base, "state"),
      logger: silentLogger(),
      settleMs: 50,
      rescanMs: 60_000,
    });
    await daemon.firstPass;
    expect(t.raw("api-feed")).toHaveLength(1);

    writeFileSync(join(base, "inbox", "drop", "a.csv"), CSV);
    await until(() => t.raw("drop-feed").length === 1, "the watched file to be produced");
    mkdirSync(join(base, "inbox", "drop", "2025"));
    writeFileSync(join(base, "inbox", "drop", "2025", "b.csv"), CSV.replace("79323", "80000"));
    await until(() => t.raw("drop-feed").length === 2, "a file in a new subfolder to be produced");

    version = 2; // the API's data changes: the next poll produces the new body
    await until(() => t.raw("api-feed").length === 2, "the next HTTP poll", 5000);
    const totals = await daemon.stop();
    daemon = undefined;
    expect(totals.find((s) => s.feed === "drop-feed")).toMatchObject({ files: 2, records: 2 });
    expect(totals.find((s) => s.feed === "api-feed")).toMatchObject({ records: 2 });
  });

  it("finds files by its periodic rescan when file events are lost (the folder was replaced under the watcher)", async () => {
    const base = mkdtempSync(join(tmpdir(), "gongfu-daemon-"));
    const drop = testSpec({ id: "drop-feed", connector: { kind: "file-drop", path: "drop" } });
    const t = await captureBus(["drop-feed"]);
    daemon = await startIngestDaemon({
      specs: [drop],
      bus: t.bus,
      topics: t.topics,
      dropRoot: join(base, "inbox"),
      stateDir: join(base, "state"),
      logger: silentLogger(),
      settleMs: 20,
      rescanMs: 300,
    });
    await daemon.firstPass;
    rmSync(join(base, "inbox", "drop"), { recursive: true });
    mkdirSync(join(base, "inbox", "drop"));
    writeFileSync(join(base, "inbox", "drop", "late.csv"), CSV);
    await until(() => t.raw("drop-feed").length === 1, "the rescan to find the file");
  });
});

describe("one ingest per data folder", () => {
  it("refuses a second daemon on the same data folder with a lock error, and lets one start once the first stopped", async () => {
    const base = mkdtempSync(join(tmpdir(), "gongfu-daemon-lock-"));
    const drop = testSpec({ id: "drop-feed", connector: { kind: "file-drop", path: "drop", pattern: "*.csv" } });
    const t = await captureBus(["drop-feed"]);
    const options = {
      specs: [drop],
      bus: t.bus,
      topics: t.topics,
      dropRoot: join(base, "inbox"),
      stateDir: join(base, "state"),
      logger: silentLogger(),
      settleMs: 20,
      rescanMs: 60_000,
    };
    const first = await startIngestDaemon(options);
    await first.firstPass;
    await expect(startIngestDaemon(options)).rejects.toThrow(
      new RegExp(`the ingest state .* is locked by another process \\(pid ${process.pid}`),
    );
    await expect(runIngestOnce(options)).rejects.toThrow(/locked by another process/);
    await first.stop();
    daemon = await startIngestDaemon(options);
    await daemon.firstPass;
  });

  it("takes over a lock whose process is gone", async () => {
    const base = mkdtempSync(join(tmpdir(), "gongfu-daemon-lock-"));
    mkdirSync(join(base, "state"), { recursive: true });
    writeFileSync(
      join(base, "state", "ingest.lock"),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), since: "2026-01-01T00:00:00Z" }),
    );
    const t = await captureBus(["drop-feed"]);
    const stats = await runIngestOnce({
      specs: [testSpec({ id: "drop-feed", connector: { kind: "file-drop", path: "drop" } })],
      bus: t.bus,
      topics: t.topics,
      dropRoot: join(base, "inbox"),
      stateDir: join(base, "state"),
      logger: silentLogger(),
    });
    expect(stats).toHaveLength(1);
  });
});
