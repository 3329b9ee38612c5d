import { describe, expect, it } from "vitest";
import { KafkaSettings } from "../../bus/index.ts";
import { createMetrics } from "../../runtime/metrics.ts";
import { startMetricsServer } from "../../runtime/metrics-server.ts";
import { brokerCheck } from "../../cli/readiness.ts";
import { kafkaBrokers } from "../helpers/kafka.ts";
import { startTcpProxy } from "./tcp-proxy.ts";

describe("readiness against a real broker", () => {
  it("answers ready while the broker is reachable and 503 once it is not", async () => {
    const proxy = await startTcpProxy(kafkaBrokers().split(",")[0]!);
    const server = await startMetricsServer({
      metrics: createMetrics({ processMetrics: false }),
      port: 0,
      host: "127.0.0.1",
      checks: [brokerCheck(KafkaSettings.parse({ brokers: [proxy.address] }))],
      checkTimeoutMs: 8000,
    });
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(await ready.json()).toEqual({ ready: true, checks: [{ name: "kafka", ok: true }] });
      expect(ready.status).toBe(200);

      await proxy.cut();
      const down = await fetch(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      const body = (await down.json()) as {
        ready: boolean;
        checks: Array<{ name: string; ok: boolean; error?: string }>;
      };
      expect(body.ready).toBe(false);
      expect(body.checks[0]).toMatchObject({ name: "kafka", ok: false });
      expect(body.checks[0]!.error).toBeTruthy();
      // Liveness does not depend on the broker.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
      await proxy.cut().catch(() => {});
    }
  });
});
