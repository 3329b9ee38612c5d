import { startMetricsServer, type MetricsServer, type ReadinessCheck } from "../runtime/metrics-server.ts";
import { fetchConsumerLag, withKafkaAdmin } from "../bus/kafka-admin.ts";
import { brokerCheck } from "./readiness.ts";
import type { CommandContext } from "./context.ts";

export interface StageEndpoint {
  server: MetricsServer | undefined;
  addCheck(check: ReadinessCheck): void;
  close(): Promise<void>;
}

/**
 * Starts the metrics/health endpoint of a stage when it should run: `--metrics-port` asks for it, `--no-metrics`
 * refuses it, and otherwise daemons (running until SIGTERM) get it on the configured port and one-shot runs do not.
 * On Kafka, /readyz checks the broker, and the lag of the stage's consumer groups is polled into the lag gauge;
 * stages add their own checks (the warehouse) with `addCheck`.
 */
export async function startStageEndpoint(
  ctx: CommandContext,
  options: { daemon: boolean; groups?: string[]; checks?: ReadinessCheck[]; lagEveryMs?: number },
): Promise<StageEndpoint> {
  const port = ctx.metricsPort(options.daemon);
  if (port === undefined) return { server: undefined, addCheck: () => {}, close: async () => {} };
  const settings = ctx.kafkaSettings();
  const checks = [...(settings ? [brokerCheck(settings)] : []), ...(options.checks ?? [])];
  const server = await startMetricsServer({ metrics: ctx.metrics, port, host: ctx.config.metrics.host, checks });
  ctx.logger.info({ url: `${server.url}/metrics`, port: server.port }, "metrics endpoint listening");
  let timer: NodeJS.Timeout | undefined;
  const groups = options.groups ?? [];
  if (settings && groups.length > 0) {
    const poll = async () => {
      try {
        const lags = await withKafkaAdmin(settings, (admin, kafka) => fetchConsumerLag(admin, groups, kafka));
        for (const t of lags)
          for (const p of t.partitions)
            ctx.metrics.consumerLag.set({ group: t.group, topic: t.topic, partition: String(p.partition) }, p.lag);
      } catch (err) {
        ctx.logger.warn({ err }, "consumer lag poll failed");
      }
    };
    timer = setInterval(() => void poll(), options.lagEveryMs ?? 15_000);
    timer.unref();
    void poll();
  }
  return {
    server,
    addCheck: (c) => server.addCheck(c),
    close: async () => {
      clearInterval(timer);
      await server.close();
    },
  };
}
