import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const run = promisify(execFile);
const KAFKA_LOCAL = fileURLToPath(new URL("../../scripts/kafka-local/kafka-local", import.meta.url));

/** A running broker for the test run and how to stop it (a no-op for one we did not start). */
export interface TestBroker {
  brokers: string;
  how: "KAFKA_BROKERS" | "testcontainers" | "kafka-local";
  stop(): Promise<void>;
}

/** A Docker engine answers: testcontainers can start Kafka. */
async function dockerAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function startTestcontainer(): Promise<TestBroker> {
  const { KafkaContainer } = await import("@testcontainers/kafka");
  const container = await new KafkaContainer("confluentinc/cp-kafka:7.9.0").withKraft().start();
  return {
    brokers: `${container.getHost()}:${container.getMappedPort(9093)}`,
    how: "testcontainers",
    stop: async () => void (await container.stop()),
  };
}

/** A port nothing listens on right now, so parallel test runs each get a broker of their own. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port")),
      );
    });
  });
}

/** The project's own broker script on free ports, with its data in a temp folder. */
async function startLocal(): Promise<TestBroker> {
  const port = String(await freePort());
  const controllerPort = String(await freePort());
  const env = {
    ...process.env,
    KAFKA_PORT: port,
    KAFKA_CONTROLLER_PORT: controllerPort,
    GONGFU_KAFKA_DIR: mkdtempSync(join(tmpdir(), "gongfu-test-kafka-")),
  };
  await run(KAFKA_LOCAL, ["start"], { env, timeout: 600_000 });
  return {
    brokers: `127.0.0.1:${port}`,
    how: "kafka-local",
    stop: async () => void (await run(KAFKA_LOCAL, ["stop"], { env, timeout: 60_000 })),
  };
}

/** KAFKA_BROKERS if set; else testcontainers where Docker runs; else the local broker script. */
export async function startTestBroker(): Promise<TestBroker> {
  const given = process.env["KAFKA_BROKERS"];
  if (given) return { brokers: given, how: "KAFKA_BROKERS", stop: async () => {} };
  if (await dockerAvailable()) return startTestcontainer();
  return startLocal();
}
