import { afterEach, describe, expect, it } from "vitest";
import { waitUntil } from "./kafka-harness.ts";
import { createScenario, type Scenario } from "./scenario.ts";
import { spawnTransform, type TransformProcess } from "./transform-process.ts";

let scenario: Scenario | undefined;
afterEach(async () => scenario?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Freezes the process (SIGSTOP) until the broker shows output written and not committed (records at or past the
 * last stable offset of an output partition), then SIGKILLs it there, with the transaction open: it can only be
 * aborted now, by the successor fencing its partition.
 */
async function killMidTransaction(p: TransformProcess, s: Scenario): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt++) {
    p.child.kill("SIGSTOP");
    // Still pending half a second later: not a commit already on its way, but a transaction the kill leaves open.
    const pendingAfter = async (ms: number) => {
      await sleep(ms);
      return s.pendingOutput();
    };
    if ((await s.pendingOutput()) > 0 && (await pendingAfter(500)) > 0) {
      p.child.kill("SIGKILL");
      await p.exited;
      return;
    }
    p.child.kill("SIGCONT");
    await sleep(5 + (attempt % 10) * 4);
  }
  throw new Error("never caught the transform with a transaction open");
}

async function waitForProgress(s: Scenario, atLeast: number): Promise<void> {
  const from = s.committed.records.length;
  await waitUntil(() => s.committed.records.length >= from + atLeast, `${atLeast} more committed records`, 60_000);
}

describe("gongfu transform on a real broker: crashes", () => {
  it("after SIGKILL just past a commit and twice mid-transaction, restarts give every " +
    "observation and dead letter exactly once to a read_committed consumer", {
    timeout: 115_000,
  }, async () => {
    const s = (scenario = await createScenario("transform-crash", 400));
    await s.produce();
    const start = (instance = "crash") => spawnTransform({ brokers: s.brokers, prefix: s.prefix, instance });

    // 1. Right after its first commit.
    let p = start();
    await waitForProgress(s, 1);
    p.child.kill("SIGKILL");
    await p.exited;

    // 2 and 3. With output written and not committed, at two places in the stream; the same instance id restarts.
    for (const progress of [40, 80]) {
      p = start();
      await waitForProgress(s, progress);
      await killMidTransaction(p, s);
    }
    expect(s.committed.records.length).toBeLessThan(s.expected.length);

    // Finish under another instance id: fencing goes by partition, not by who restarts.
    p = start("crash-successor");
    await waitUntil(() => s.committed.records.length >= s.expected.length, "all output committed", 60_000);
    p.child.kill("SIGTERM");
    expect(await p.exited, p.stderr()).toEqual({ code: 0, signal: null });

    expect(await s.committedOutput()).toEqual(s.expected);
    // The killed transactions' output is still in the log, aborted: read_uncommitted sees it, read_committed never did.
    expect(await s.abortedOutput()).toBeGreaterThan(0);
    expect(await s.pendingOutput()).toBe(0);
  });
});
