import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO } from "../../helpers/cli.ts";

const run = promisify(execFile);
const KAFKA_LOCAL = join(REPO, "scripts/kafka-local/kafka-local");

/** A broker of the test's own (the project's kafka-local script), so stopping it disturbs no other test. */
export interface OwnBroker {
  brokers: string;
  start(): Promise<void>;
  /** SIGTERM, as an orderly broker restart or a host shutdown would send. */
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
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

/** Free ports and a temp data folder; nothing listens until `start()`, so the port is a closed one until then. */
export async function ownBroker(): Promise<OwnBroker> {
  const port = await freePort();
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    GONGFU_KAFKA_DIR: mkdtempSync(join(tmpdir(), "gongfu-faults-kafka-")),
  };
  return {
    brokers: `127.0.0.1:${port}`,
    start: async () => void (await run(KAFKA_LOCAL, ["start"], { env, timeout: 300_000 })),
    stop: async () => void (await run(KAFKA_LOCAL, ["stop"], { env, timeout: 60_000 })),
  };
}
