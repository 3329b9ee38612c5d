/**
 * kafkajs 2.2.4's request queue re-arms its "check pending requests" timer after every response and every check,
 * even with nothing pending and no throttle: the delay is then `throttledUntil - now` with throttledUntil at -1,
 * minus the epoch, which Node runs as 1 ms (and on Node 24 warns TimeoutNegativeWarning). Every open broker
 * connection so polled itself a thousand times a second for as long as it lived (kafkajs #1704, #1751). With
 * nothing pending there is nothing to check: a request pushed later is sent at once, or schedules its own check.
 */
import { createRequire } from "node:module";

interface RequestQueueInternals {
  pending: unknown[];
  scheduleCheckPendingRequests(): void;
}

const require = createRequire(import.meta.url);
const RequestQueue = require("kafkajs/src/network/requestQueue/index.js") as { prototype: RequestQueueInternals };

const schedule = RequestQueue.prototype.scheduleCheckPendingRequests;
RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleOnlyWhenPending(
  this: RequestQueueInternals,
): void {
  if (this.pending.length > 0) schedule.call(this);
};
