import { setTimeout as sleep } from "node:timers/promises";
import {
  assertKafkajsPatched,
  type Consumer,
  type EachBatchPayload,
  type ISocketFactory,
  type Kafka,
} from "./kafkajs.ts";
import type { Logger } from "../runtime/logger.ts";
import type { Runner } from "./types.ts";
import { createIdleTracker } from "./idle-tracker.ts";
import { KAFKA_TUNING } from "./kafka-tuning.ts";
import { createSocketTracker } from "./kafka-sockets.ts";

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  eachBatch(payload: EachBatchPayload): Promise<void>;
  /** Called synchronously on every (re)join with the partitions assigned. */
  onJoin?(consumer: Consumer, assignment: Record<string, number[]>): void;
  sessionTimeoutMs?: number;
  partitionsConsumedConcurrently?: number;
  idleMs: number;
}

/** How long leaving the group may take once no batch is open, before the consumer's connections are closed under it. */
const LEAVE_GRACE_MS = 5000;
/** First wait before restarting a consumer kafkajs gave up on; each further attempt waits longer, up to 30 s. */
const RESTART_MS = 1000;

/**
 * A read_committed consumer with manual offsets, on a client of its own. A stop lets the open batch finish, then
 * leaves the group. After a broker restart kafkajs makes that hard: it restarts a crashed consumer on its own and
 * cannot cancel a restart under way, a rejoin waits for the old member's session to expire (30 s), and a heartbeat
 * can reopen a coordinator connection `disconnect` no longer reaches; each kept a stopped stage's process alive.
 * So after a stop no restart is allowed, a consumer that joins all the same is disconnected again at once, and once
 * no batch is open, leaving gets a few seconds before the consumer's sockets are closed under it. A crash kafkajs
 * will not restart (its error is not retriable) is restarted here, with growing waits, until the stop.
 */
export async function startKafkaConsumer(
  newKafka: (socketFactory: ISocketFactory) => Kafka,
  options: ConsumerOptions,
  logger: Logger,
): Promise<Runner> {
  // Consumers read read_committed: refuse to start with kafkajs's own filter, which passes some aborted records.
  assertKafkajsPatched();
  const { groupId } = options;
  const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
  // kafkajs heartbeats only between batches and after an empty fetch, so a fetch may not wait longer than a heartbeat interval.
  const heartbeatInterval = Math.min(3000, Math.floor(sessionTimeout / 3));
  let stopping = false;
  let open = 0;
  let drained: (() => void) | undefined;
  const sockets = createSocketTracker();
  const consumer = newKafka(sockets.factory).consumer({
    groupId,
    readUncommitted: false,
    sessionTimeout,
    heartbeatInterval,
    ...KAFKA_TUNING.fetch,
    maxWaitTimeInMs: Math.min(KAFKA_TUNING.fetch.maxWaitTimeInMs, heartbeatInterval),
    retry: { retries: 5, restartOnFailure: async () => !stopping },
  });
  const idle = createIdleTracker(options.idleMs);
  await consumer.connect();
  // Synchronous on purpose: kafkajs emits GROUP_JOIN before its first fetch, so a seek made here is always honoured.
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    if (stopping) {
      logger.info({ groupId }, "consumer restarted after its stop: disconnecting it again");
      void consumer
        .disconnect()
        .catch((err: unknown) =>
          logger.warn({ err, groupId }, "disconnecting a consumer restarted after its stop failed"),
        )
        .finally(() => sockets.destroyAll());
      return;
    }
    try {
      options.onJoin?.(consumer, e.payload.memberAssignment);
    } catch (err) {
      logger.error({ err, groupId }, "seek to stored positions failed");
    }
    idle.joined();
  });
  await consumer.subscribe({ topics: options.topics, fromBeginning: true });
  const run = () =>
    consumer.run({
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        if (stopping) return;
        open++;
        idle.busy();
        try {
          await options.eachBatch(payload);
        } finally {
          idle.touch();
          if (--open === 0) drained?.();
        }
      },
    });
  // kafkajs restarts a crashed consumer only when the error is retriable; after a broker restart a rejoin can fail
  // with one that is not ("Failed to find group coordinator"), and the consumer stayed stopped in a running stage.
  const cancelRestart = new AbortController();
  consumer.on(consumer.events.CRASH, (e) => {
    if (e.payload.restart || stopping) return;
    logger.error({ groupId, err: e.payload.error }, "consumer crashed and kafkajs gave up on it: restarting it");
    void restartAfterCrash();
  });
  async function restartAfterCrash(): Promise<void> {
    for (let attempt = 1; !stopping; attempt++) {
      // Keeps the process alive while it waits (a stage whose consumer is down must not exit as if done); a stop cancels it.
      const waited = await sleep(Math.min(RESTART_MS * attempt, 30_000), true, { signal: cancelRestart.signal }).catch(
        () => false,
      );
      if (!waited || stopping) return;
      try {
        await consumer.connect();
        await run();
        return;
      } catch (err) {
        logger.warn({ err, groupId, attempt }, "restarting the consumer failed; trying again");
      }
    }
  }
  await run();

  async function leave(): Promise<void> {
    stopping = true;
    cancelRestart.abort();
    const left = consumer.disconnect().then(() => true);
    left.catch(() => {});
    try {
      if (open > 0) await new Promise<void>((resolve) => (drained = resolve));
      for (let attempt = 0; attempt < 2; attempt++) {
        if (await Promise.race([left, sleep(LEAVE_GRACE_MS, false, { ref: false })])) return;
        logger.warn(
          { groupId, waitedMs: LEAVE_GRACE_MS },
          "leaving the consumer group is slow (a rejoin after a broker restart?): closing its connections",
        );
        sockets.destroyAll();
      }
    } finally {
      sockets.destroyAll();
    }
  }
  let stopped: Promise<void> | undefined;
  return { idle: () => idle.untilIdle(), stop: () => (stopped ??= leave()) };
}
