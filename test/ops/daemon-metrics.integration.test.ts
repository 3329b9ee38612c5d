import { cpSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { parseExposition } from "../runtime/prom-text.ts";
import type { StatusReport } from "../../cli/status/collect-status.ts";
import { eventually, startDaemon } from "./daemon.ts";

const FEED = "stats-bureau-income";

describe("the transform and load daemons on Kafka", () => {
  it("serves its counts, batch durations and consumer lag over HTTP, is ready, and status shows the lag per topic", async () => {
    const brokers = kafkaBrokers();
    const prefix = uniqueTopicPrefix("metrics");
    const dir = mkdtempSync(join(tmpdir(), "gongfu-daemon-"));
    const feeds = join(dir, "feeds");
    mkdirSync(feeds);
    cpSync(join(REPO, "feeds", `${FEED}.yaml`), join(feeds, `${FEED}.yaml`));
    const data = join(dir, "data");
    mkdirSync(join(data, "inbox", "stats-bureau"), { recursive: true });
    cpSync(
      join(REPO, "samples/feeds/stats-bureau/zj-income-2020-2024.csv"),
      join(data, "inbox", "stats-bureau", "income.csv"),
    );
    const common = ["--kafka", brokers, "--topic-prefix", prefix, "--data", data, "--feeds", feeds];

    const daemon = await startDaemon(["transform", ...common]);
    try {
      const ingested = await runCli(["ingest", ...common]);
      expect(ingested.code).toBe(0);

      const scrape = await eventually(async () => {
        const s = parseExposition(await (await fetch(`${daemon.metricsUrl}/metrics`)).text());
        return s.value("gongfu_records_normalised_total", { feed: FEED }) === 60 ? s : undefined;
      }, "60 normalised records in the metrics");
      expect(scrape.value("gongfu_batch_duration_seconds_count", { stage: "transform" })).toBeGreaterThanOrEqual(1);
      expect(scrape.types.get("gongfu_records_normalised_total")).toBe("counter");
      expect(scrape.value("gongfu_process_cpu_seconds_total")).toBeGreaterThan(0);

      // The lag gauge is polled every 15 s: the raw topic's partitions, all consumed.
      const lag = await eventually(
        async () => {
          const s = parseExposition(await (await fetch(`${daemon.metricsUrl}/metrics`)).text());
          const rows = s.samples.filter(
            (x) => x.name === "gongfu_consumer_lag_messages" && x.labels["topic"] === `${prefix}.raw.${FEED}`,
          );
          return rows.length > 0 && rows.every((r) => r.value === 0) ? rows : undefined;
        },
        "the consumer lag gauge",
        45_000,
      );
      expect(lag[0]!.labels["group"]).toBe(`${prefix}-transform`);

      const ready = await fetch(`${daemon.metricsUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ready: true, checks: [{ name: "kafka", ok: true }] });

      const status = await runCli(["status", "--json", ...common]);
      expect(status.code).toBe(0);
      const report = JSON.parse(status.stdout) as StatusReport;
      expect(report.consumerGroups.checked).toBe(true);
      expect(report.consumerGroups.lags).toContainEqual(
        expect.objectContaining({ group: `${prefix}-transform`, topic: `${prefix}.raw.${FEED}`, lag: 0 }),
      );
      expect(report.feeds.find((f) => f.feed === FEED)).toMatchObject({
        recordsIngested: 60,
        lastReceived: { uri: "income.csv" },
      });

      // The load daemon: loads what transform produced, and is ready only with both the broker and the warehouse.
      const load = await startDaemon(["load", ...common]);
      try {
        await eventually(async () => {
          const s = parseExposition(await (await fetch(`${load.metricsUrl}/metrics`)).text());
          return s.value("gongfu_records_loaded_total", { feed: FEED }) === 60 ? true : undefined;
        }, "60 loaded observations in the load daemon's metrics");
        const loadReady = await fetch(`${load.metricsUrl}/readyz`);
        const body = await loadReady.json();
        expect(body, JSON.stringify(body)).toEqual({
          ready: true,
          checks: [
            { name: "kafka", ok: true },
            { name: "warehouse", ok: true },
            { name: "warehouse-writes", ok: true },
          ],
        });
        // While the loader writes the warehouse, status still answers and says so.
        const during = JSON.parse((await runCli(["status", "--json", ...common])).stdout) as StatusReport;
        expect(during.warehouse.state).toBe("locked");
        // The counts then come from bi.duckdb, the lake the loader publishes for readers.
        expect(during.warehouse.countsFrom).toBe(join(data, "bi.duckdb"));
        await eventually(
          async () => {
            const again = JSON.parse((await runCli(["status", "--json", ...common])).stdout) as StatusReport;
            return again.feeds.find((f) => f.feed === FEED)?.observationsLoaded === 60 ? true : undefined;
          },
          "status to count the loaded observations from the lake",
          60_000,
        );
      } finally {
        expect((await load.stop()).code).toBe(0);
      }
    } finally {
      const stopped = await daemon.stop();
      expect(stopped.code).toBe(0);
    }
  }, 300_000);

  it("reports the broker as unreachable in status without failing it", async () => {
    const status = await runCli([
      "status",
      "--json",
      "--kafka",
      "127.0.0.1:1",
      "--data",
      mkdtempSync(join(tmpdir(), "gongfu-daemon-")),
      "--feeds",
      join(REPO, "feeds"),
    ]);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as StatusReport;
    expect(report.consumerGroups.checked).toBe(true);
    expect(report.consumerGroups.error).toMatch(/^cannot reach Kafka at 127\.0\.0\.1:1/);
  }, 60_000);
});
