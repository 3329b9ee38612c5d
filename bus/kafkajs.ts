/**
 * The one door to kafkajs. Every module that uses kafkajs, types included, imports it from here: `npm run lint:deps`
 * fails on an import of "kafkajs" anywhere else (.dependency-cruiser.cjs, rule kafkajs-through-bus). Loading this
 * module installs gongfu's two patches of kafkajs internals, then loads kafkajs, in that order, whoever imports it
 * first and whatever else they import:
 * - kafkajs-read-committed.ts: read_committed consumers no longer see records of some aborted transactions
 *   (correctness; kafkajs's consumer keeps the filter it finds when it loads, hence before kafkajs);
 * - kafkajs-request-queue.ts: an idle broker connection no longer polls itself every millisecond (idle CPU).
 * Both replace internals of exactly KAFKAJS_VERSION, which package.json pins; a different version refuses to load,
 * and the tests in test/bus/kafkajs-*.test.ts fail when the internals they replace change.
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type * as KafkaJS from "kafkajs";
import { PipelineError } from "../runtime/errors.ts";
import { assertReadCommittedFilter, type BatchClass, filterAbortedMessages } from "./kafkajs-read-committed.ts";
import { originalScheduleCheck, patchRequestQueue, type RequestQueueClass } from "./kafkajs-request-queue.ts";

/** The kafkajs version the patches are written for (package.json pins it, no caret). */
export const KAFKAJS_VERSION = "2.2.4";

const require = createRequire(import.meta.url);
const installedVersion = (require("kafkajs/package.json") as { version: string }).version;
if (installedVersion !== KAFKAJS_VERSION)
  throw new PipelineError(
    `kafkajs ${installedVersion} is installed, but bus/kafkajs.ts patches the internals of kafkajs ${KAFKAJS_VERSION}`,
    { hint: "install the version package.json pins (npm ci), or port the patches and their tests to the new one" },
  );

const FILTER_MODULE = require.resolve("kafkajs/src/consumer/filterAbortedMessages.js");
const BATCH_MODULE = require.resolve("kafkajs/src/consumer/batch.js");
const REQUEST_QUEUE_MODULE = require.resolve("kafkajs/src/network/requestQueue/index.js");

// 1. The read_committed filter, before batch.js loads: it keeps the filter it finds then. Loaded already means this
//    module ran before in this process (a test runner re-evaluating it) or something bypassed it: the check below tells.
if (require.cache[BATCH_MODULE] === undefined) {
  require(FILTER_MODULE);
  require.cache[FILTER_MODULE]!.exports = filterAbortedMessages;
}
// 2. kafkajs itself.
const kafkajs = require("kafkajs") as typeof KafkaJS;
const Batch = require(BATCH_MODULE) as BatchClass;
// 3. The request queue: a prototype method, so it can be patched after loading.
const RequestQueue = require(REQUEST_QUEUE_MODULE) as RequestQueueClass;
patchRequestQueue(RequestQueue);

/** Throws unless both patches are in force. Runs when this module loads; consumers run it again as they start. */
export function assertKafkajsPatched(): void {
  assertReadCommittedFilter(Batch);
  if (originalScheduleCheck(RequestQueue) === undefined)
    throw new PipelineError("kafkajs's request queue is not patched: idle connections would poll every millisecond");
}
assertKafkajsPatched();

/** What the guard tests inspect: where kafkajs lives and the internals the patches replace or rely on. */
export const kafkajsInternals = {
  version: installedVersion,
  root: dirname(require.resolve("kafkajs/package.json")),
  files: { filter: FILTER_MODULE, batch: BATCH_MODULE, requestQueue: REQUEST_QUEUE_MODULE },
  Batch,
  RequestQueue,
};

export const { Kafka, logLevel, Partitioners, AssignerProtocol, ConfigResourceTypes, KafkaJSNonRetriableError } =
  kafkajs;
export type Kafka = KafkaJS.Kafka;
export type logLevel = KafkaJS.logLevel;
export type KafkaJSNonRetriableError = KafkaJS.KafkaJSNonRetriableError;
export type {
  Admin,
  Consumer,
  EachBatchPayload,
  ISocketFactory,
  KafkaConfig,
  KafkaMessage,
  LogEntry,
  Message,
  Producer,
} from "kafkajs";
