import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { topicNames } from "../../schemas/index.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";
import { createLoadTopics, observationMessage, produce, startLoader } from "./kafka-fixtures.ts";
import { observation, tempDir } from "./fixtures.ts";

interface ReaderLine {
  mode: "fresh" | "pooled";
  ok: boolean;
  n?: number;
  keys?: number;
  regions?: number;
  years?: string[];
  error?: string;
}

const WAVES = 24;
const PER_WAVE = 40;
const wave = (w: number) =>
  Array.from({ length: PER_WAVE }, (_, i) =>
    observation({
      region: String(330100 + (i % 10) * 100),
      period: String(2018 + (i % 8)),
      indicator: `reader_test_${w}_${Math.floor(i / 10)}`,
      value: w * 1000 + i,
    }),
  );

/** Per year, the counts a line reports. */
const byYear = (line: ReaderLine) =>
  new Map((line.years ?? []).map((y) => y.split(":").map(Number) as [number, number]));

describe("bi.duckdb while the loader writes", () => {
  it("answers every query of a second process, and never shows a partial or doubled file", async () => {
    const brokers = kafkaBrokers();
    const prefix = uniqueTopicPrefix("load-bi");
    const topics = topicNames(prefix);
    await createLoadTopics(brokers, topics);
    const data = tempDir("load-bi");
    const loader = startLoader(["--kafka", brokers, "--topic-prefix", prefix, "--data", data], {
      GONGFU_PARQUET_INTERVAL_MS: "0",
      GONGFU_LOAD_MERGE_ROWS: "20",
    });
    const stopFile = join(data, "stop-reader");
    const reader = spawn(
      process.execPath,
      [join(import.meta.dirname, "bi-reader-process.ts"), join(data, "bi.duckdb"), stopFile],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    reader.stdout.on("data", (d: Buffer) => (output += d.toString()));
    reader.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const readerExited = new Promise<number | null>((r) => reader.on("exit", r));
    const lines = () =>
      output
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as ReaderLine);
    try {
      // The loader publishes bi.duckdb once it has opened and migrated the warehouse; on a busy machine that takes a
      // while, and an export before it has nothing to fall back on.
      for (let waited = 0; !existsSync(join(data, "bi.duckdb")); waited += 100) {
        if (waited > 60_000) throw new Error(`the loader never wrote bi.duckdb:\n${loader.output()}`);
        await sleep(100);
      }
      let exportDuringLoad: Awaited<ReturnType<typeof runCli>> | undefined;
      for (let w = 0; w < WAVES; w++) {
        await produce(brokers, topics.observations, wave(w).map(observationMessage), { transactional: false });
        if (w === WAVES / 2)
          exportDuringLoad = await runCli([
            "export",
            "--data",
            data,
            "--no-metrics",
            "--table",
            "fact_observation",
            "--out",
            join(data, "mid.csv"),
          ]);
        await sleep(150);
      }
      const total = WAVES * PER_WAVE;
      for (let waited = 0; !lines().some((l) => l.mode === "fresh" && l.n === total); waited += 200) {
        if (waited > 60_000)
          throw new Error(`the lake never reached ${total} rows:\n${output.slice(-2000)}\n${loader.output()}`);
        await sleep(200);
      }
      await sleep(500);
      writeFileSync(stopFile, "");
      expect(await readerExited).toBe(0);

      // While the loader held the warehouse, export read the lake instead of failing.
      expect(exportDuringLoad?.code, exportDuringLoad?.stderr).toBe(0);
      expect(JSON.parse(exportDuringLoad!.stdout)).toMatchObject({ source: "bi.duckdb" });

      const seen = lines();
      expect(seen.filter((l) => !l.ok)).toEqual([]);
      for (const mode of ["fresh", "pooled"] as const) {
        const series = seen.filter((l) => l.mode === mode);
        expect(series.length, mode).toBeGreaterThan(10);
        for (const [i, l] of series.entries()) {
          expect(l.keys, "a row seen twice would mean two versions of a file at once").toBe(l.n);
          expect(l.regions).toBe(102);
          if (i === 0) continue;
          const before = series[i - 1]!;
          expect(l.n!, `${mode} query ${i}: row counts only grow`).toBeGreaterThanOrEqual(before.n!);
          for (const [year, n] of byYear(before))
            expect(byYear(l).get(year) ?? 0, `${mode} query ${i}, year ${year}`).toBeGreaterThanOrEqual(n);
        }
      }
      // The reader saw the lake grow in steps, not only its start and end.
      expect(new Set(seen.map((l) => l.n)).size).toBeGreaterThan(3);
      expect(seen.at(-1)!.n).toBe(total);
    } finally {
      writeFileSync(stopFile, "");
      loader.child.kill("SIGTERM");
    }
    expect(await loader.exited, loader.output()).toBe(0);
    const warehouse = await withWarehouse(join(data, "gongfu.duckdb"), (q) =>
      q("SELECT count(*)::INTEGER AS n FROM fact_observation"),
    );
    expect(warehouse).toEqual([{ n: WAVES * PER_WAVE }]);
  }, 240_000);
});
