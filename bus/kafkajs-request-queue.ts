/**
 * kafkajs 2.2.4's request queue re-arms its "check pending requests" timer after every response and every check,
 * even with nothing pending and no throttle: the delay is then `throttledUntil - now` with throttledUntil at -1,
 * minus the epoch, which Node runs as 1 ms (and on Node 24 warns TimeoutNegativeWarning). Every open broker
 * connection so polled itself a thousand times a second for as long as it lived (kafkajs #1704, #1751). With
 * nothing pending there is nothing to check: a request pushed later is sent at once, or schedules its own check.
 * bus/kafkajs.ts installs this; test/bus/kafkajs-request-queue.test.ts fails if the method it wraps changes.
 */

export interface RequestQueueInternals {
  pending: unknown[];
  scheduleCheckPendingRequests(): void;
}
/** kafkajs's RequestQueue class (src/network/requestQueue/index.js), as far as the patch touches it. */
export interface RequestQueueClass {
  prototype: RequestQueueInternals;
}

/** Where the wrapper keeps kafkajs's own method, so a second install is a no-op and the tests can read the original. */
const ORIGINAL = Symbol.for("gongfu.kafkajs.requestQueue.scheduleCheckPendingRequests");
type Wrapped = (() => void) & { [ORIGINAL]?: () => void };

/** kafkajs's own `scheduleCheckPendingRequests`, once the patch is in (undefined before). */
export function originalScheduleCheck(RequestQueue: RequestQueueClass): (() => void) | undefined {
  return (RequestQueue.prototype.scheduleCheckPendingRequests as Wrapped)[ORIGINAL];
}

/** Schedules the pending-requests check only while a request waits. Idempotent. */
export function patchRequestQueue(RequestQueue: RequestQueueClass): void {
  if (originalScheduleCheck(RequestQueue) !== undefined) return;
  const schedule = RequestQueue.prototype.scheduleCheckPendingRequests;
  const scheduleOnlyWhenPending: Wrapped = function scheduleOnlyWhenPending(this: RequestQueueInternals): void {
    if (this.pending.length > 0) schedule.call(this);
  };
  scheduleOnlyWhenPending[ORIGINAL] = schedule;
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleOnlyWhenPending;
}
