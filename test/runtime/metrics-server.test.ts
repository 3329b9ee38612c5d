import { afterEach, describe, expect, it } from "vitest";
import { createMetrics } from "../../runtime/metrics.ts";
import { startMetricsServer, type MetricsServer } from "../../runtime/metrics-server.ts";
import { parseExposition } from "./prom-text.ts";

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("metrics endpoint", () => {
  it("serves the pipeline counters, histograms, gauges and process metrics in the Prometheus text format", async () => {
    const metrics = createMetrics();
    metrics.recordsIngested.inc({ feed: "stats-bureau-income" }, 60);
    metrics.recordsNormalised.inc({ feed: "stats-bureau-income" }, 58);
    metrics.recordsRejected.inc({ feed: "stats-bureau-income", stage: "transform" }, 2);
    metrics.recordsLoaded.inc({ feed: "stats-bureau-income" }, 58);
    metrics.batchDuration.observe({ stage: "transform" }, 0.2);
    metrics.consumerLag.set({ group: "gongfu-load", topic: "gongfu.observations", partition: "0" }, 7);
    metrics.lastEvaluationSuccess.set(1_750_000_000);
    server = await startMetricsServer({ metrics, port: 0, host: "127.0.0.1" });

    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const scrape = parseExposition(await res.text());
    expect(scrape.value("gongfu_records_ingested_total", { feed: "stats-bureau-income" })).toBe(60);
    expect(scrape.value("gongfu_records_normalised_total", { feed: "stats-bureau-income" })).toBe(58);
    expect(scrape.value("gongfu_records_rejected_total", { feed: "stats-bureau-income", stage: "transform" })).toBe(2);
    expect(scrape.value("gongfu_records_loaded_total", { feed: "stats-bureau-income" })).toBe(58);
    expect(scrape.value("gongfu_batch_duration_seconds_count", { stage: "transform" })).toBe(1);
    expect(scrape.value("gongfu_batch_duration_seconds_bucket", { stage: "transform", le: "0.25" })).toBe(1);
    expect(scrape.value("gongfu_batch_duration_seconds_bucket", { stage: "transform", le: "0.1" })).toBe(0);
    expect(
      scrape.value("gongfu_consumer_lag_messages", {
        group: "gongfu-load",
        topic: "gongfu.observations",
        partition: "0",
      }),
    ).toBe(7);
    expect(scrape.value("gongfu_last_evaluation_success_timestamp_seconds")).toBe(1_750_000_000);
    expect(scrape.types.get("gongfu_records_loaded_total")).toBe("counter");
    expect(scrape.types.get("gongfu_batch_duration_seconds")).toBe("histogram");
    expect(
      scrape.value("gongfu_process_resident_memory_bytes") ?? scrape.value("gongfu_nodejs_heap_size_used_bytes"),
    ).toBeGreaterThan(0);
  });

  it("answers /healthz while alive and /readyz 503 while a check fails, naming it", async () => {
    let brokerUp = true;
    server = await startMetricsServer({
      metrics: createMetrics({ processMetrics: false }),
      port: 0,
      host: "127.0.0.1",
      checks: [
        {
          name: "kafka",
          check: async () => {
            if (!brokerUp) throw new Error("connection refused");
          },
        },
      ],
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: [{ name: "kafka", ok: true }] });

    brokerUp = false;
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({
      ready: false,
      checks: [{ name: "kafka", ok: false, error: "connection refused" }],
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    server.addCheck({ name: "warehouse", check: async () => {} });
    brokerUp = true;
    const both = (await (await fetch(`${server.url}/readyz`)).json()) as { ready: boolean; checks: { name: string }[] };
    expect(both.ready).toBe(true);
    expect(both.checks.map((c) => c.name)).toEqual(["kafka", "warehouse"]);
  });

  it("counts a check that does not answer in time as failed", async () => {
    server = await startMetricsServer({
      metrics: createMetrics({ processMetrics: false }),
      port: 0,
      host: "127.0.0.1",
      checkTimeoutMs: 100,
      checks: [{ name: "warehouse", check: () => new Promise<void>(() => {}) }],
    });
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(JSON.stringify(await res.json())).toContain("no answer within 100 ms");
  });

  it("says what to do when the port is taken", async () => {
    server = await startMetricsServer({
      metrics: createMetrics({ processMetrics: false }),
      port: 0,
      host: "127.0.0.1",
    });
    await expect(
      startMetricsServer({ metrics: createMetrics({ processMetrics: false }), port: server.port, host: "127.0.0.1" }),
    ).rejects.toThrow(`metrics port ${server.port} on 127.0.0.1 is already in use`);
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
  });

  it("exports the last evaluation success only from a process that set it", async () => {
    const stage = createMetrics({ processMetrics: false });
    stage.recordsLoaded.inc({ feed: "f" }, 1);
    expect(await stage.registry.metrics()).not.toContain("gongfu_last_evaluation_success_timestamp_seconds");
    const evaluator = createMetrics({ processMetrics: false });
    evaluator.lastEvaluationSuccess.set(1_750_000_000);
    evaluator.lastEvaluationSuccess.set(1_750_000_100);
    expect(await evaluator.registry.metrics()).toContain("gongfu_last_evaluation_success_timestamp_seconds 1750000100");
  });
});
