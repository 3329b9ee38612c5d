import { randomUUID } from "node:crypto";
import type { Bus } from "../../bus/index.ts";
import type { Logger } from "../../runtime/logger.ts";
import { startTransform } from "../../transform/index.ts";
import { loadedBySource, markResolved, startLoad, waitingDeadLetters, type Replayable } from "../../load/index.ts";
import { loadOptionsOf } from "../stage-options.ts";
import { HEADERS, rawRecordKey } from "../../schemas/index.ts";
import { createProgress } from "../../runtime/progress.ts";
import { ConfigError } from "../../runtime/errors.ts";
import type { CommandContext } from "../context.ts";
import { withKafkaAdmin } from "../../bus/kafka-admin.ts";
import { waitFor } from "../wait-for.ts";
import { watchOutcomes } from "./replay-outcomes.ts";

export interface ReplayOptions {
  feed: string;
  stage: "transform";
  /** The loader's consumer group (Kafka), so the replay's outputs are loaded exactly once with the rest. */
  loadGroupId?: string;
  timeoutMs: number;
}

export interface ReplayReport {
  feed: string;
  stage: string;
  mode: "embedded" | "kafka";
  records: number;
  quarantineRows: number;
  notReplayable: number;
  resolvedRecords: number;
  resolvedRows: number;
  observationsLoaded: number;
  stillFailing: Array<{ source: string; codes: string[] }>;
  noOutcome: string[];
}

/**
 * Re-sends a feed's unresolved dead letters through transform and load, and marks their quarantine rows resolved
 * once the record normalised without a new dead letter and its observations are in the warehouse. Embedded mode
 * runs transform in process; on Kafka the transform service does, and the replay itself runs the load stage (the
 * load service must be stopped: DuckDB has one writer).
 */
export async function runReplay(ctx: CommandContext, options: ReplayOptions): Promise<ReplayReport> {
  if (!ctx.specs.some((s) => s.id === options.feed))
    throw new ConfigError(`no feed spec with id ${options.feed} in ${ctx.paths.feedsDir}`, {
      hint: `known feeds: ${ctx.specs.map((s) => s.id).join(", ")}`,
    });
  const bus = ctx.createBus();
  const log = ctx.logger.child({ stage: "replay", feed: options.feed });
  const load = await startLoad(loadOptionsOf(ctx, bus, options.loadGroupId ? { groupId: options.loadGroupId } : {}));
  try {
    const waiting = await waitingDeadLetters(load.warehouse.connection, options.feed, options.stage);
    const report: ReplayReport = {
      feed: options.feed,
      stage: options.stage,
      mode: bus.kind,
      records: waiting.replayable.length,
      quarantineRows: waiting.replayable.reduce((n, r) => n + r.dlKeys.length, 0),
      notReplayable: waiting.notReplayable,
      resolvedRecords: 0,
      resolvedRows: 0,
      observationsLoaded: 0,
      stillFailing: [],
      noOutcome: [],
    };
    if (waiting.replayable.length === 0) return report;
    const keys = new Set(waiting.replayable.map((r) => r.key));
    const from = bus.kind === "kafka" ? await endOffsets(ctx, [ctx.topics.observations, ctx.topics.dlqTransform]) : [];
    const outcomes = await watchOutcomes(
      bus.kind === "kafka" ? bus : bus.inner,
      ctx.topics,
      `${ctx.topics.prefix}-replay-${randomUUID().slice(0, 8)}`,
      keys,
      from,
    );
    const transform =
      bus.kind === "embedded"
        ? await startTransform({ bus, topics: ctx.topics, specs: ctx.specs, catalog: ctx.catalog, logger: ctx.logger })
        : undefined;
    await publish(bus, ctx.topics.raw(options.feed), waiting.replayable, log);
    const seen = () =>
      waiting.replayable.every((r) => outcomes.observations.has(r.key) || outcomes.deadLetters.has(r.key));
    if (transform)
      await waitFor(
        () => transform.stats.records >= waiting.replayable.length,
        "transform to normalise the replayed records",
        options.timeoutMs,
      );
    else
      await waitFor(
        seen,
        "the transform service to normalise the replayed records (is gongfu transform running on this prefix?)",
        options.timeoutMs,
      ).catch((err: unknown) => log.warn({ err }, "not every replayed record came back"));
    // Then until the loader has written at least as many rows as the replay produced (it may also catch up on others).
    const produced = () =>
      [...outcomes.observations.values()].reduce((a, b) => a + b, 0) + [...outcomes.deadLetters.values()].length;
    await waitFor(
      () => load.stats.received >= produced(),
      "the load stage to receive the replayed records",
      options.timeoutMs,
    ).catch((err: unknown) => log.warn({ err }, "the load stage did not catch up in time"));
    await transform?.runner.stop();
    await outcomes.runner.stop();
    // Stopping merges what the loader still has staged.
    await load.runner.stop();

    const loaded = await loadedBySource(load.warehouse.connection, options.feed);
    const resolvable: string[] = [];
    for (const r of waiting.replayable) {
      const codes = outcomes.deadLetters.get(r.key);
      const observed = outcomes.observations.get(r.key) ?? 0;
      if (codes) report.stillFailing.push({ source: r.key, codes: [...new Set(codes)] });
      else if (observed === 0 && bus.kind === "kafka") report.noOutcome.push(r.key);
      else if ((loaded.get(r.key) ?? 0) >= observed) {
        report.resolvedRecords++;
        report.observationsLoaded += observed;
        resolvable.push(...r.dlKeys);
      } else report.noOutcome.push(r.key);
    }
    report.resolvedRows = await markResolved(load.warehouse.connection, resolvable);
    log.info(
      { records: report.records, resolved: report.resolvedRecords, stillFailing: report.stillFailing.length },
      "replay finished",
    );
    return report;
  } finally {
    await bus.close();
    load.warehouse.close();
  }
}

async function publish(bus: Bus, topic: string, records: Replayable[], log: Logger): Promise<void> {
  const progress = createProgress({ label: "replay", total: records.length, unit: "records", logger: log });
  for (let i = 0; i < records.length; i += 500) {
    const chunk = records.slice(i, i + 500);
    await bus.publish(
      topic,
      chunk.map((r) => ({
        key: rawRecordKey(r.record),
        value: r.record,
        headers: { [HEADERS.feed]: r.record.feed, [HEADERS.checksum]: r.record.checksum },
      })),
    );
    progress.tick(chunk.length);
  }
  progress.done();
}

async function endOffsets(
  ctx: CommandContext,
  topics: string[],
): Promise<Array<{ topic: string; partition: number; offset: string }>> {
  const settings = ctx.kafkaSettings();
  if (!settings) return [];
  return withKafkaAdmin(settings, async (admin) =>
    (
      await Promise.all(
        topics.map(async (topic) =>
          (await admin.fetchTopicOffsets(topic)).map((p) => ({ topic, partition: p.partition, offset: p.offset })),
        ),
      )
    ).flat(),
  );
}
