import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The pipeline's Prometheus metrics, one registry per process. Names follow Prometheus conventions (units, `_total`). */
export interface Metrics {
  readonly registry: Registry;
  /** Raw records a connector produced, per feed. */
  readonly recordsIngested: Counter<"feed">;
  /** Observations transform produced, per feed. */
  readonly recordsNormalised: Counter<"feed">;
  /** Records turned into dead letters, per feed and the stage that refused them. */
  readonly recordsRejected: Counter<"feed" | "stage">;
  /** Observations delivered to the warehouse writer and committed, per feed. */
  readonly recordsLoaded: Counter<"feed">;
  /** Time to handle one consumed batch, per stage. */
  readonly batchDuration: Histogram<"stage">;
  /** Messages not yet consumed, per consumer group, topic and partition (Kafka mode). */
  readonly consumerLag: Gauge<"group" | "topic" | "partition">;
  /**
   * Unix time of the last evaluation run that succeeded. Exported only once set: ingest, transform and load never
   * evaluate, and a 0 from them would read as "never succeeded" to an alert.
   */
  readonly lastEvaluationSuccess: { set(seconds: number): void };
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop lag, handles); on by default. */
  processMetrics?: boolean;
  /** Labels on every series, e.g. `{ service: "transform" }`. */
  defaultLabels?: Record<string, string>;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "gongfu_" });
  const registers = [registry];
  return {
    registry,
    recordsIngested: new Counter({
      name: "gongfu_records_ingested_total",
      help: "Raw records produced by ingest, per feed",
      labelNames: ["feed"],
      registers,
    }),
    recordsNormalised: new Counter({
      name: "gongfu_records_normalised_total",
      help: "Observations produced by transform, per feed",
      labelNames: ["feed"],
      registers,
    }),
    recordsRejected: new Counter({
      name: "gongfu_records_rejected_total",
      help: "Records sent to a dead-letter topic, per feed and stage",
      labelNames: ["feed", "stage"],
      registers,
    }),
    recordsLoaded: new Counter({
      name: "gongfu_records_loaded_total",
      help: "Observations committed by the warehouse writer (re-deliveries included), per feed",
      labelNames: ["feed"],
      registers,
    }),
    batchDuration: new Histogram({
      name: "gongfu_batch_duration_seconds",
      help: "Time to handle one consumed batch, per stage",
      labelNames: ["stage"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    consumerLag: new Gauge({
      name: "gongfu_consumer_lag_messages",
      help: "Messages waiting per consumer group, topic and partition",
      labelNames: ["group", "topic", "partition"],
      registers,
    }),
    lastEvaluationSuccess: lazyGauge(registry, {
      name: "gongfu_last_evaluation_success_timestamp_seconds",
      help: "Unix time of the last successful evaluation run",
    }),
  };
}

/** A gauge that joins the registry at its first value, so a process that never sets it does not export it. */
function lazyGauge(registry: Registry, config: { name: string; help: string }): { set(value: number): void } {
  const gauge = new Gauge({ ...config, registers: [] });
  let registered = false;
  return {
    set: (value) => {
      if (!registered) registry.registerMetric(gauge);
      registered = true;
      gauge.set(value);
    },
  };
}
