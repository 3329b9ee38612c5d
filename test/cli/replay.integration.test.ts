import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import type { ReplayReport } from "../../cli/replay/run-replay.ts";
import { startDaemon } from "../ops/daemon.ts";

const FEED = "stats-bureau-income";
const SPEC = readFileSync(join(REPO, "feeds", `${FEED}.yaml`), "utf8");

describe("gongfu replay on Kafka", () => {
  it("re-sends dead letters to the raw topic; the transform service normalises them and the replay loads and resolves them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gongfu-replay-kafka-"));
    const feeds = join(dir, "feeds");
    const data = join(dir, "data");
    mkdirSync(feeds);
    mkdirSync(join(data, "inbox", "stats-bureau"), { recursive: true });
    cpSync(
      join(REPO, "samples/feeds/stats-bureau/zj-income-2020-2024.csv"),
      join(data, "inbox", "stats-bureau", "income.csv"),
    );
    writeFileSync(
      join(feeds, `${FEED}.yaml`),
      SPEC.replace("indicator: disposable_income_per_capita", "indicator: disposable_incme_per_capita"),
    );
    const common = [
      "--kafka",
      kafkaBrokers(),
      "--topic-prefix",
      uniqueTopicPrefix("replay"),
      "--data",
      data,
      "--feeds",
      feeds,
    ];

    expect((await runCli(["run", ...common])).code).toBe(0);
    await withWarehouse(join(data, "gongfu.duckdb"), async (q) => {
      expect(
        await q(
          "SELECT CAST(count(*) AS INTEGER) AS n FROM quarantine WHERE resolved_at IS NULL AND stage = 'transform'",
        ),
      ).toEqual([{ n: 60 }]);
    });

    writeFileSync(join(feeds, `${FEED}.yaml`), SPEC);
    const transform = await startDaemon(["transform", ...common]);
    try {
      const result = await runCli(["replay", "--feed", FEED, "--json", ...common]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout) as ReplayReport).toMatchObject({
        mode: "kafka",
        records: 60,
        resolvedRecords: 60,
        resolvedRows: 60,
        observationsLoaded: 60,
        stillFailing: [],
        noOutcome: [],
      });
    } finally {
      await transform.stop();
    }
    await withWarehouse(join(data, "gongfu.duckdb"), async (q) => {
      expect(
        await q(
          "SELECT CAST(count(*) AS INTEGER) AS n, CAST(count(DISTINCT region_code) AS INTEGER) AS " +
            "regions FROM fact_observation WHERE indicator_code = 'disposable_income_per_capita'",
        ),
      ).toEqual([{ n: 60, regions: 12 }]);
      expect(await q("SELECT CAST(count(*) AS INTEGER) AS n FROM quarantine WHERE resolved_at IS NULL")).toEqual([
        { n: 0 },
      ]);
    });
  }, 240_000);
});
