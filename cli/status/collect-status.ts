import { join } from "node:path";
import type { KafkaSettings } from "../../bus/index.ts";
import type { FeedSpec, RecordFeedSpec } from "../../schemas/index.ts";
import type { Config, ResolvedPaths } from "../../runtime/config.ts";
import { errorMessage } from "../../runtime/errors.ts";
import { fetchConsumerLag, listPipelineGroups, withKafkaAdmin, type TopicLag } from "../../bus/kafka-admin.ts";
import {
  readWarehouse,
  recordFeedCounts,
  warehouseCounts,
  type WarehouseCounts,
  type WarehouseState,
} from "../../load/index.ts";
import { lastEvaluationRuns } from "../../evaluate/index.ts";
import { nextFireTime, type EvaluationStatus } from "./evaluation-status.ts";
import { feedStatus, readConnectorState, type FeedStatus } from "./feed-status.ts";
import { recordFeedStatus, type RecordFeedStatus } from "./record-feed-status.ts";

/** Everything `gongfu status` reports; `--json` prints exactly this. */
export interface StatusReport {
  generatedAt: string;
  /** `countsFrom` is set when the counts were read from bi.duckdb (the lake) because a loader holds the warehouse. */
  warehouse: { path: string; state: WarehouseState; message?: string; countsFrom?: string };
  feeds: FeedStatus[];
  /** Record feeds (feeds/records/): files and records in, derived and suppressed cells out. */
  recordFeeds: RecordFeedStatus[];
  deadLettersWaiting: { total: number; byStage: Record<string, number> };
  /** Lag per consumer group and topic; checked only on Kafka. */
  consumerGroups: { checked: boolean; error?: string; lags: TopicLag[] };
  evaluation: EvaluationStatus;
}

export interface StatusInputs {
  specs: FeedSpec[];
  recordSpecs?: readonly RecordFeedSpec[];
  paths: ResolvedPaths;
  schedule: Config["schedule"];
  topicPrefix: string;
  kafka: KafkaSettings | undefined;
  now?: Date;
}

export async function collectStatus(inputs: StatusInputs): Promise<StatusReport> {
  const now = inputs.now ?? new Date();
  const read = await readWarehouse(inputs.paths.warehouse, async (c) => ({
    counts: await warehouseCounts(c),
    runs: await lastEvaluationRuns(c),
    records: await recordFeedCounts(c),
  }));
  // While the loader holds the warehouse, the counts come from bi.duckdb over the Parquet lake it publishes.
  const bi =
    read.state === "locked" ? await readWarehouse(join(inputs.paths.dataDir, "bi.duckdb"), warehouseCounts) : undefined;
  const counts: WarehouseCounts = read.value?.counts ?? bi?.value ?? { feeds: new Map(), waitingByStage: {} };
  const feeds = inputs.specs.map((spec) =>
    feedStatus(spec, readConnectorState(inputs.paths.stateDir, spec.id), counts.feeds.get(spec.id), now),
  );
  // bi.duckdb has no view of record batches or derived cells (BI sees only the observations): without the
  // warehouse itself, the record feeds' warehouse counts are unknown (null), not zero.
  const recordFeeds = (inputs.recordSpecs ?? []).map((spec) =>
    recordFeedStatus(spec, inputs.paths.stateDir, read.value?.records.get(spec.id), read.value !== undefined, now),
  );
  const next = nextFireTime(inputs.schedule.cron, inputs.schedule.timezone);
  const runs = read.value?.runs ?? {
    lastRun: null,
    lastSucceeded: null,
    note: read.message ?? "warehouse not readable",
  };
  return {
    generatedAt: now.toISOString(),
    warehouse: {
      path: inputs.paths.warehouse,
      state: read.state,
      ...(read.message ? { message: read.message } : {}),
      ...(bi?.value ? { countsFrom: join(inputs.paths.dataDir, "bi.duckdb") } : {}),
    },
    feeds,
    recordFeeds,
    deadLettersWaiting: {
      total: Object.values(counts.waitingByStage).reduce((a, b) => a + b, 0),
      byStage: counts.waitingByStage,
    },
    consumerGroups: await consumerGroups(inputs),
    evaluation: {
      ...runs,
      nextRun: next?.toISOString() ?? null,
      schedule: { cron: inputs.schedule.cron, timezone: inputs.schedule.timezone },
    },
  };
}

async function consumerGroups(inputs: StatusInputs): Promise<StatusReport["consumerGroups"]> {
  if (!inputs.kafka) return { checked: false, lags: [] };
  try {
    const lags = await withKafkaAdmin(inputs.kafka, async (admin, kafka) =>
      fetchConsumerLag(admin, await listPipelineGroups(admin, inputs.topicPrefix), kafka),
    );
    return { checked: true, lags };
  } catch (err) {
    return {
      checked: true,
      error: `cannot reach Kafka at ${inputs.kafka.brokers.join(",")}: ${errorMessage(err)}`,
      lags: [],
    };
  }
}
