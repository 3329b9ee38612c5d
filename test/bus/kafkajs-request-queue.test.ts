import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { kafkajsInternals } from "../../bus/kafkajs.ts";
import { originalScheduleCheck, patchRequestQueue } from "../../bus/kafkajs-request-queue.ts";

interface Queue {
  pending: unknown[];
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null | undefined;
  scheduleCheckPendingRequests(): void;
  checkPendingRequests(): void;
  destroy(): void;
}
const RequestQueue = kafkajsInternals.RequestQueue as unknown as (new (
  options: Record<string, unknown>,
) => Queue) &
  typeof kafkajsInternals.RequestQueue;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const queue = () =>
  new RequestQueue({
    instrumentationEmitter: null,
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: "test",
    broker: "127.0.0.1:1",
    logger: { namespace: () => silent },
  });
const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

describe("kafkajs's request queue, as the bus patches it", () => {
  it("arms no timer with nothing pending (kafkajs re-armed a 1 ms check for ever, with a negative delay)", () => {
    const q = queue();
    try {
      q.checkPendingRequests();
      q.scheduleCheckPendingRequests();
      expect(q.throttleCheckTimeoutId ?? null).toBeNull();
    } finally {
      q.destroy();
    }
  });

  it("still schedules a check while a request waits", () => {
    const q = queue();
    try {
      q.pending.push({});
      q.scheduleCheckPendingRequests();
      expect(q.throttleCheckTimeoutId).not.toBeNull();
    } finally {
      q.pending.length = 0;
      q.destroy();
    }
  });

  it("is installed once however often it is applied", () => {
    const patched = RequestQueue.prototype.scheduleCheckPendingRequests;
    patchRequestQueue(RequestQueue);
    expect(RequestQueue.prototype.scheduleCheckPendingRequests).toBe(patched);
    expect(patched.name).toBe("scheduleOnlyWhenPending");
  });
});

// The patch wraps one method of kafkajs's RequestQueue and relies on how the class uses it. If kafkajs changes the
// file, the patch may stop doing what it says: these fail first, and say to port it.
describe("the kafkajs internals the request-queue patch wraps", () => {
  it("are those of the pinned kafkajs version", () => {
    expect(kafkajsInternals.version).toBe("2.2.4");
  });

  it("are unchanged, byte for byte: the request queue's file and the method wrapped", () => {
    expect(sha256(readFileSync(kafkajsInternals.files.requestQueue))).toBe(
      "b55986089c14f8f7bfc377922e2e65b3e4c1e7c7af2752d3b10a75dfe9e9260c",
    );
    const original = originalScheduleCheck(RequestQueue);
    expect(original).toBeTypeOf("function");
    expect(sha256(String(original))).toBe("04347ea969c6f2e3754427c0cbaee0bd4ce947fbd82f7b6e027506a06dfc581a");
  });

  it("have the shape the patch relies on: a pending array, and the check re-armed after every push and check", () => {
    const source = readFileSync(kafkajsInternals.files.requestQueue, "utf8");
    expect(source).toContain("this.pending = []");
    expect(source.match(/this\.scheduleCheckPendingRequests\(\)/g)).toHaveLength(2);
    expect(String(originalScheduleCheck(RequestQueue))).toContain("let scheduleAt = this.throttledUntil - Date.now()");
  });
});
