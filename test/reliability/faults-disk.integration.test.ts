import { rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { compareSets, observationSet } from "./observation-set.ts";
import { runStage, startStage } from "./stage-process.ts";
import { writeSection } from "./results-file.ts";
import { freePort } from "./faults/own-broker.ts";
import { prepareWorkspace, type Workspace } from "./faults/workspace.ts";
import { readyz, waitUntil } from "./faults/probes.ts";
import { startBiReader } from "./faults/bi-reader.ts";
import { mountTmpfs } from "./faults/tmpfs.ts";

const CHUNKS = 6;
const ROWS = 4000;
const TOTAL = CHUNKS * ROWS;
/** Room for the catalog and a few thousand observations, not for all of them (the warehouse and its WAL need ~8 MB). */
const FULL_DISK_MB = 6;

describe("warehouse disk faults (a tmpfs under the loader's data folder)", () => {
  let ws: Workspace;
  let prefix: string;
  let expected: string[];
  const mounts: Array<{ unmount(): void }> = [];
  const figures: string[] = [];
  /** A fault this machine cannot produce fails its test and is named in RELIABILITY.md, never skipped quietly. */
  const mount = (dir: string, mb: number, fault: string) => {
    try {
      const m = mountTmpfs(dir, mb);
      mounts.push(m);
      return m;
    } catch (err) {
      figures.push(`| ${fault} | NOT RUN: ${err instanceof Error ? err.message.split("\n")[0] : String(err)} |`);
      throw err;
    }
  };
  const loadArgs = (data: string, group: string, extra: string[] = []) => [
    "load",
    "--kafka",
    kafkaBrokers(),
    "--topic-prefix",
    prefix,
    "--feeds",
    ws.feeds,
    "--data",
    data,
    "--group-id",
    group,
    ...extra,
  ];

  // The observations are produced once; every loader below reads the same topic under a group of its own.
  beforeAll(async () => {
    ws = await prepareWorkspace("disk", CHUNKS, ROWS);
    for (let k = 0; k < CHUNKS; k++) ws.drop(k);
    prefix = uniqueTopicPrefix("faults-disk");
    const base = ["--kafka", kafkaBrokers(), "--topic-prefix", prefix, "--data", ws.data, "--feeds", ws.feeds];
    await runStage(["ingest", ...base], {});
    await runStage(["transform", "--until-idle", ...base], {});
    await runStage(loadArgs(join(ws.root, "clean"), `${prefix}-clean`, ["--until-idle"]), {});
    expected = await observationSet(join(ws.root, "clean", "gongfu.duckdb"));
  }, 180_000);

  afterAll(async () => {
    for (const m of mounts) m.unmount();
    if (ws) rmSync(ws.root, { recursive: true, force: true });
    if (figures.length > 0) {
      await writeSection(
        "faults-disk",
        [
          "## Faults: disk full, read-only warehouse folder",
          "",
          `A loader daemon on a tmpfs mounted under its data folder (a real ENOSPC and EROFS; chmod ` +
            `does not stop root), reading ${TOTAL} observations from Kafka; a BI reader process queries bi.duckdb in a loop throughout.`,
          "",
          "| fault | outcome |",
          "|---|---|",
          ...figures,
        ].join("\n"),
      );
    }
  });

  it("disk full: the loader stops loading with a clear error and not-ready, commits nothing partial, and resumes when space returns", {
    timeout: 180_000,
  }, async () => {
    const dir = join(ws.root, "full");
    const disk = mount(dir, FULL_DISK_MB, "disk full");
    const port = await freePort();
    const loader = startStage(loadArgs(dir, `${prefix}-full`, ["--metrics-port", String(port)]), {
      GONGFU_PARQUET_INTERVAL_MS: "0",
    });
    const reader = startBiReader(join(dir, "bi.duckdb"), ws.root);
    try {
      await waitUntil(
        async () => (await readyz(port)).body.includes('"name":"warehouse-writes","ok":false'),
        "the loader to report failing warehouse writes on /readyz",
        90_000,
        loader.output,
      );
      await sleep(3000);
      const stalled = await readyz(port);
      expect(stalled.status, loader.output()).toBe(503);
      expect(loader.child.exitCode, loader.output()).toBeNull();
      expect(loader.output()).toMatch(/batch not written to the warehouse; retrying/);
      expect(loader.output()).toMatch(/No space left on device/);
      const atFull = reader.latest();
      disk.resize(64);
      const resumedIn = await waitUntil(
        async () => reader.latest() === TOTAL && (await readyz(port)).status === 200,
        `the loader to resume and publish all ${TOTAL} observations`,
        90_000,
        loader.output,
      );
      const bi = await reader.stop();
      loader.child.kill("SIGTERM");
      expect(await loader.exited, loader.output()).toBe(0);
      const diff = compareSets(expected, await observationSet(join(dir, "gongfu.duckdb")));
      figures.push(
        `| disk full (${FULL_DISK_MB} MB tmpfs) while loading | /readyz 503 (warehouse-writes: No space left on device), the ` +
          `loader stayed up and retried, ${atFull < 0 ? "no" : atFull} observations in ` +
          `the lake at that point; after the tmpfs grew to 64 MB it resumed by itself ` +
          `within ${Math.round(resumedIn / 1000)} s; BI reader ${bi.queries} queries, ${bi.failed.length} ` +
          `failed, ${bi.inconsistent.length} partial; ${diff.lost} lost, ${diff.duplicated} ` +
          `duplicated, ${diff.unexpected} unexpected |`,
      );
      expect(bi).toMatchObject({ failed: [], inconsistent: [] });
      expect(diff).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
    } finally {
      reader.kill();
      loader.child.kill("SIGKILL");
    }
  });

  it("read-only folder: the loader refuses to start with a clear error; once writable again it completes exactly once", {
    timeout: 180_000,
  }, async () => {
    const dir = join(ws.root, "ro");
    const disk = mount(dir, 64, "read-only warehouse folder");
    const reader = startBiReader(join(dir, "bi.duckdb"), ws.root);
    const slow = { GONGFU_PARQUET_INTERVAL_MS: "0", GONGFU_LOAD_MERGE_ROWS: "500" };
    try {
      const first = startStage(loadArgs(dir, `${prefix}-ro`, ["--no-metrics"]), slow);
      await waitUntil(() => reader.latest() > 0, "the first loader to load some observations", 90_000, first.output);
      first.child.kill("SIGTERM");
      expect(await first.exited, first.output()).toBe(0);
      // The loader's last export at exit may have landed while the reader's query ran: wait for the next ones.
      const before = await reader.caughtUp();

      disk.readOnly(true);
      const refused = startStage(loadArgs(dir, `${prefix}-ro`, ["--metrics-port", String(await freePort())]), slow);
      const code = await Promise.race([refused.exited, sleep(60_000).then(() => "still running")]);
      const message = (
        refused
          .output()
          .split("\n")
          .find((l) => l.startsWith("gongfu: ")) ?? ""
      ).replaceAll(ws.root, "<tmp>");
      expect(code, refused.output()).toBe(1);
      expect(message, refused.output()).toMatch(/^gongfu: cannot open the warehouse .*Read-only file system/);
      expect(message, "a read-only folder is not blamed on another writer").not.toMatch(/another gongfu process/);
      await sleep(1000);
      expect(reader.latest(), "bi.duckdb stays readable on a read-only folder").toBe(before);

      disk.readOnly(false);
      await runStage(loadArgs(dir, `${prefix}-ro`, ["--until-idle"]), slow);
      await waitUntil(() => reader.latest() === TOTAL, `bi.duckdb to show all ${TOTAL} observations`, 30_000);
      const bi = await reader.stop();
      const diff = compareSets(expected, await observationSet(join(dir, "gongfu.duckdb")));
      figures.push(
        `| warehouse folder remounted read-only between two runs | the loader exited 1 ` +
          `at start: \`${message.slice(0, 240)}\`; ${before} of ${TOTAL} observations were ` +
          `loaded before, and a run after the remount to read-write completed; BI reader ${bi.queries} ` +
          `queries, ${bi.failed.length} failed, ${bi.inconsistent.length} partial; ${diff.lost} ` +
          `lost, ${diff.duplicated} duplicated, ${diff.unexpected} unexpected |`,
      );
      expect(before).toBeLessThan(TOTAL);
      expect(bi).toMatchObject({ failed: [], inconsistent: [] });
      expect(diff).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
    } finally {
      reader.kill();
    }
  });
});
