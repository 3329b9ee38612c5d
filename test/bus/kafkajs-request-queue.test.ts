import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import "../../bus/kafkajs-request-queue.ts";

interface Queue {
  pending: unknown[];
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null | undefined;
  scheduleCheckPendingRequests(): void;
  checkPendingRequests(): void;
  destroy(): void;
}
const require = createRequire(import.meta.url);
const RequestQueue = require("kafkajs/src/network/requestQueue/index.js") as new (
  options: Record<string, unknown>,
) => Queue;
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
});
