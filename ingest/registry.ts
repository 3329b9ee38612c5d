import type { Bus } from "../bus/index.ts";
import type { FeedSpec, TopicNames } from "../schemas/index.ts";
import type { Logger } from "../runtime/logger.ts";
import { createStateStore } from "./state-store.ts";
import { createFileDropConnector } from "./connectors/file-drop.ts";
import { createHttpPollConnector } from "./connectors/http-poll.ts";
import type { Connector, ConnectorDeps } from "./connectors/types.ts";

/** Connector kinds by name: a feed spec names one; adding a kind is adding a factory here. */
export const CONNECTORS: { [K in FeedSpec["connector"]["kind"]]: (spec: FeedSpec, deps: ConnectorDeps) => Connector } =
  {
    "file-drop": createFileDropConnector,
    "http-poll": createHttpPollConnector,
  };

export interface IngestOptions {
  specs: FeedSpec[];
  bus: Bus;
  topics: TopicNames;
  dropRoot: string;
  stateDir: string;
  logger: Logger;
  now?: () => Date;
  /** Where HTTP header values named in specs (`headersFromEnv`) are looked up; default: none. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The demo fixture server that sample HTTP feeds are pointed at (`gongfu run --samples`). */
  sampleHttpOrigin?: string;
  /**
   * A dropped file is read once it has gone this long without a write, unless its feed says otherwise
   * (`connector.settleSeconds`) or a `.done` marker sits beside it. Default 0: the CLI passes `ingest.settleSeconds`.
   */
  settleMs?: number;
  /** Folders an absolute `connector.path` may lie under (ingest.allowedRoots); none by default. */
  allowedRoots?: readonly string[];
}

/** The topics ingest writes to, so they can be created before anything is produced. */
export function ingestTopics(specs: FeedSpec[], topics: TopicNames): string[] {
  return [...specs.map((s) => topics.raw(s.id)), topics.dlqIngest];
}

/** What every connector of one ingest process shares. */
export function connectorDeps(options: IngestOptions, extra: Partial<ConnectorDeps> = {}): ConnectorDeps {
  return {
    bus: options.bus,
    topics: options.topics,
    state: createStateStore(options.stateDir),
    logger: options.logger.child({ stage: "ingest" }),
    now: options.now ?? (() => new Date()),
    dropRoot: options.dropRoot,
    env: options.env ?? {},
    ...(options.sampleHttpOrigin ? { sampleHttpOrigin: options.sampleHttpOrigin } : {}),
    ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
    ...(options.allowedRoots === undefined ? {} : { allowedRoots: options.allowedRoots }),
    ...extra,
  };
}
