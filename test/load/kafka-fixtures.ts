import { spawn, type ChildProcess } from "node:child_process";
import { Kafka, logLevel, type Message } from "../../bus/kafkajs.ts";
import { HEADERS, observationKey, type DeadLetter, type Observation, type TopicNames } from "../../schemas/index.ts";
import { REPO } from "../helpers/cli.ts";

const CLI = `${REPO}cli/gongfu.ts`;

/** Creates the loader's input topics with three partitions, as a deployment would. */
export async function createLoadTopics(brokers: string, topics: TopicNames): Promise<void> {
  const admin = new Kafka({ brokers: brokers.split(","), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [topics.observations, topics.dlqIngest, topics.dlqTransform].map((topic) => ({
        topic,
        numPartitions: 3,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

export const observationMessage = (o: Observation): Message => ({
  key: observationKey(o),
  value: JSON.stringify(o),
  headers: { [HEADERS.feed]: o.source.feed },
});
export const deadLetterMessage = (d: DeadLetter): Message => ({
  key: d.source.uri,
  value: JSON.stringify(d),
  headers: { [HEADERS.feed]: d.feed },
});

/**
 * Produces as transform would: with `transactional`, each chunk in its own transaction, so the partitions carry
 * the commit markers (offsets no record has) that a read_committed consumer steps over.
 */
export async function produce(
  brokers: string,
  topic: string,
  messages: Message[],
  options: { transactional: boolean; chunk?: number },
): Promise<void> {
  const kafka = new Kafka({ brokers: brokers.split(","), logLevel: logLevel.NOTHING });
  const chunk = options.chunk ?? 200;
  const producer = options.transactional
    ? kafka.producer({ transactionalId: `test-${topic}-${process.pid}`, idempotent: true, maxInFlightRequests: 1 })
    : kafka.producer({ idempotent: true });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += chunk) {
      const part = messages.slice(i, i + chunk);
      if (!options.transactional) {
        await producer.send({ topic, messages: part });
        continue;
      }
      const tx = await producer.transaction();
      await tx.send({ topic, messages: part });
      await tx.commit();
    }
  } finally {
    await producer.disconnect();
  }
}

export interface LoaderProcess {
  child: ChildProcess;
  /** "batch loaded" lines seen so far (needs GONGFU_LOG_LEVEL=debug). */
  batches(): number;
  /** Resolves once `n` batches have been logged, or the process ended. */
  untilBatches(n: number): Promise<void>;
  exited: Promise<number | string>;
  output(): string;
}

/** Runs `gongfu load` as its own process, reading its JSON log lines as they come. */
export function startLoader(args: string[], env: Record<string, string>): LoaderProcess {
  const child = spawn(process.execPath, [CLI, "load", "--no-metrics", ...args], {
    cwd: REPO,
    env: { ...process.env, GONGFU_LOG_LEVEL: "debug", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  let pending = "";
  let batches = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const settle = () => {
    for (const w of waiters.splice(0))
      if (batches >= w.n) w.resolve();
      else waiters.push(w);
  };
  child.stderr?.on("data", (d: Buffer) => {
    const text = pending + d.toString();
    const lines = text.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.includes('"msg":"batch loaded"')) batches++;
    tail = (tail + text).slice(-20_000);
    settle();
  });
  child.stdout?.on("data", (d: Buffer) => (tail = (tail + d.toString()).slice(-20_000)));
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(signal ?? code ?? -1)),
  );
  void exited.then(() => {
    for (const w of waiters.splice(0)) w.resolve();
  });
  return {
    child,
    batches: () => batches,
    untilBatches: (n) =>
      new Promise<void>((resolve) => {
        waiters.push({ n, resolve });
        settle();
      }),
    exited,
    output: () => tail,
  };
}

/** Runs the loader until it has caught up and exited; fails with its output otherwise. */
export async function loadUntilIdle(args: string[], env: Record<string, string>): Promise<void> {
  const p = startLoader([...args, "--until-idle"], env);
  const result = await p.exited;
  if (result !== 0) throw new Error(`gongfu load ${args.join(" ")} ended with ${result}:\n${p.output()}`);
}
