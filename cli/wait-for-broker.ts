import type { KafkaSettings } from "../bus/index.ts";
import { errorMessage } from "../runtime/errors.ts";
import type { Logger } from "../runtime/logger.ts";
import { brokerCheck } from "./readiness.ts";
import { watchSignals } from "./signals.ts";
import type { CommandContext } from "./context.ts";

/** Longest pause between two attempts: a broker that comes back is noticed within this. */
const MAX_BACKOFF_MS = 5000;

/**
 * Waits, however long it takes, until the broker answers, so a daemon started before its broker stays up and
 * not ready (/readyz 503) instead of exiting into a crash loop. Resolves false when `stop` fires first.
 */
export async function waitForBroker(
  settings: KafkaSettings,
  logger: Logger,
  stop?: Promise<unknown>,
): Promise<boolean> {
  const check = brokerCheck(settings);
  let stopped = false;
  void stop?.then(() => (stopped = true));
  for (let attempt = 1, backoff = 500; !stopped; attempt++, backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    try {
      await check.check();
      if (attempt > 1) logger.info({ brokers: settings.brokers, attempts: attempt }, "Kafka reachable; starting");
      return true;
    } catch (err) {
      logger.warn(
        { brokers: settings.brokers, attempt, retryInMs: backoff, error: errorMessage(err) },
        "waiting for Kafka: broker unreachable, not ready",
      );
    }
    await Promise.race([new Promise((r) => setTimeout(r, backoff)), stop]);
  }
  return false;
}

/** waitForBroker for a daemon's context (true at once in embedded mode); SIGTERM/SIGINT while waiting ends it cleanly. */
export async function brokerReachable(ctx: CommandContext): Promise<boolean> {
  const settings = ctx.kafkaSettings();
  if (!settings) return true;
  const signals = watchSignals();
  try {
    return await waitForBroker(settings, ctx.logger, signals.received);
  } finally {
    signals.dispose();
  }
}
