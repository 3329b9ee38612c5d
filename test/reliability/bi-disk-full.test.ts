import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { syncCatalog, writeBatch } from "../../load/index.ts";
import { startLakePublisher } from "../../load/lake-publisher.ts";
import { createSerial } from "../../load/serial.ts";
import { defaultCatalog } from "../../schemas/index.ts";
import { silentLogger } from "../../runtime/logger.ts";
import { runCli } from "../helpers/cli.ts";
import { delivered, observation, rows, scratchWarehouse, tempDir } from "../load/fixtures.ts";
import { mountTmpfs } from "./faults/tmpfs.ts";
import { writeSection } from "./results-file.ts";

const figures: string[] = [];

/** Fills a file system to the last byte, as a full disk is. */
function fill(dir: string): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  for (let i = 0; ; i++) {
    try {
      writeFileSync(join(dir, `filler-${i}`), chunk);
    } catch {
      for (let size = 32 * 1024; size >= 1; size = Math.floor(size / 2)) {
        try {
          writeFileSync(join(dir, `filler-${i}-${size}`), Buffer.alloc(size, 1));
        } catch {
          // smaller next
        }
      }
      return;
    }
  }
}

async function count(biPath: string): Promise<number> {
  const instance = await DuckDBInstance.create(biPath, { access_mode: "READ_ONLY" });
  const c = await instance.connect();
  try {
    return Number((await rows(c, "SELECT count(*)::INTEGER AS n FROM fact_observation"))[0]?.["n"]);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

describe("a full disk while bi.duckdb is written", () => {
  afterAll(async () => {
    await writeSection(
      "bi-disk-full",
      [
        "## Faults: disk full while writing bi.duckdb",
        "",
        "`test/reliability/bi-disk-full.test.ts`. bi.duckdb is written under a temporary name, opened read-only and",
        "checked, then renamed over the old one; a one-shot `run` fails when its last publication does.",
        "",
        "| fault | outcome |",
        "|---|---|",
        ...figures,
      ].join("\n"),
    );
  });

  it("fails the publication and keeps the previous bi.duckdb, which still shows the new data", async () => {
    const dataDir = tempDir("bi-full");
    const biDir = join(dataDir, "bi");
    let mount: ReturnType<typeof mountTmpfs> | undefined;
    try {
      mount = mountTmpfs(biDir, 4);
    } catch (err) {
      figures.push(`| bi.duckdb's folder full | NOT RUN: ${err instanceof Error ? err.message : String(err)} |`);
      throw err;
    }
    const db = await scratchWarehouse(join(dataDir, "gongfu.duckdb"));
    try {
      await syncCatalog(db.connection, defaultCatalog());
      const lakeDir = join(dataDir, "lake");
      const biPath = join(biDir, "bi.duckdb");
      const start = () =>
        startLakePublisher({
          connection: db.connection,
          lakeDir,
          biPath,
          lakeRef: lakeDir,
          intervalMs: "on-stop",
          serial: createSerial(),
          logger: silentLogger(),
        });
      await writeBatch(db.connection, "g", [delivered(observation(), 0)], [], []);
      await (await start()).stop();
      const before = statSync(biPath);
      expect(await count(biPath)).toBe(1);

      fill(biDir);
      await writeBatch(db.connection, "g", [delivered(observation({ period: "2022" }), 1)], [], []);
      const lake = await start();
      const error = await lake.stop().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(Error);
      const message = String((error as Error).message);
      expect(message).toContain("previous files are kept");
      const cause = String(((error as Error).cause as Error | undefined)?.cause ?? "");
      const after = statSync(biPath);
      expect(after.ino).toBe(before.ino);
      expect(readdirSync(biDir).filter((f) => f.includes("gongfu-tmp"))).toEqual([]);
      // The lake was exported before bi.duckdb: the kept file's views read it.
      expect(await count(biPath)).toBe(2);
      figures.push(
        `| bi.duckdb's folder full (a 4 MB tmpfs filled to the last byte) during a one-shot ` +
          `publication | the publication rejects (\`${message.replace(biPath, "<tmp>/bi.duckdb")}\`, ` +
          `cause: ${cause.split("\n")[0]?.replaceAll(dataDir, "<tmp>").slice(0, 160)}); ` +
          `the previous bi.duckdb is kept (same inode), no temporary file is left, and ` +
          `it shows ` +
          `the 2 observations of the lake, the new one included |`,
      );
    } finally {
      db.close();
      mount.unmount();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("makes `gongfu run` exit 1 when bi.duckdb cannot be written", async () => {
    const dataDir = tempDir("bi-run");
    try {
      // Something that cannot be replaced by a rename stands where bi.duckdb goes.
      mkdirSync(join(dataDir, "bi.duckdb", "in-the-way"), { recursive: true });
      const result = await runCli(["run", "--samples", "--data", dataDir, "--no-metrics"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("bi.duckdb");
      const line = result.stderr.split("\n").find((l) => l.startsWith("gongfu:")) ?? "";
      figures.push(
        `| bi.duckdb cannot be replaced (a folder in its place) at the end of \`gongfu ` +
          `run --samples\` | exit ${result.code}: \`${line.replaceAll(dataDir, "<tmp>")}\` |`,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
