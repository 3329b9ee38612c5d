import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startTestBroker, type TestBroker } from "./broker.ts";

declare module "vitest" {
  export interface ProvidedContext {
    kafkaBrokers: string;
    kafkaError: string;
  }
}

let broker: TestBroker | undefined;
let runTemp: string | undefined;

/**
 * One temporary folder per test run, removed at its end: the tests, and the commands they start, make their scratch
 * folders under os.tmpdir(), and a run used to leave hundreds of them behind. Workers and the processes
 * they spawn inherit TMPDIR. GONGFU_KEEP_TEST_TMP=1 keeps it, to look at what a failed test left.
 */
function useRunTemp(): void {
  runTemp = mkdtempSync(join(tmpdir(), "gongfu-test-run-"));
  process.env["TMPDIR"] = runTemp;
}

/**
 * Makes a real Kafka broker available to integration tests. When none can be started, the Kafka tests fail
 * with the reason and how to get one; the other tests still run.
 */
export async function setup(project: TestProject): Promise<void> {
  useRunTemp();
  if (process.env["GONGFU_TEST_KAFKA"] === "off") {
    project.provide("kafkaBrokers", "");
    project.provide("kafkaError", "GONGFU_TEST_KAFKA=off was set, so no broker was started");
    return;
  }
  try {
    broker = await startTestBroker();
    project.provide("kafkaBrokers", broker.brokers);
    project.provide("kafkaError", "");
  } catch (err) {
    project.provide("kafkaBrokers", "");
    project.provide(
      "kafkaError",
      `no Kafka broker could be started (${err instanceof Error ? err.message.split("\n")[0] : String(err)}). ` +
        `Set KAFKA_BROKERS=host:port, run Docker for testcontainers, or install Java 17+ ` +
        `and ` +
        `Maven for scripts/kafka-local/kafka-local`,
    );
  }
}

export async function teardown(): Promise<void> {
  await broker?.stop();
  if (runTemp && process.env["GONGFU_KEEP_TEST_TMP"] !== "1") rmSync(runTemp, { recursive: true, force: true });
}
