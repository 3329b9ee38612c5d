import { randomUUID } from "node:crypto";
import { inject } from "vitest";

/** The test run's broker list; throws (failing the test, never skipping it) when there is no broker. */
export function kafkaBrokers(): string {
  const brokers = inject("kafkaBrokers");
  if (!brokers) throw new Error(inject("kafkaError") || "no Kafka broker for the integration tests");
  return brokers;
}

/** A topic prefix of its own for each test, so tests never see each other's records. */
export function uniqueTopicPrefix(name: string): string {
  return `t-${name}-${randomUUID().slice(0, 8)}`;
}
