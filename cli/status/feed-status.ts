import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { FeedSpec } from "../../schemas/index.ts";
import type { FeedCounts } from "./warehouse-counts.ts";

/** How often a feed is expected, and how late it may be before it counts as late, in days. */
export const FRESHNESS = {
  daily: { everyDays: 1, graceDays: 1 },
  monthly: { everyDays: 31, graceDays: 15 },
  quarterly: { everyDays: 92, graceDays: 30 },
  annual: { everyDays: 366, graceDays: 60 },
} as const;

export type Freshness = "fresh" | "late" | "never";

export interface FeedStatus {
  feed: string;
  name: string;
  department: string;
  connector: string;
  frequency: keyof typeof FRESHNESS;
  /** The last file or response the connector received, from its state file. */
  lastReceived: { uri: string; at: string } | null;
  sourcesReceived: number;
  /** Rows in: records produced by ingest; rejected at ingest. */
  recordsIngested: number;
  rejectedAtIngest: number;
  /** Rows out: observations in the warehouse; dead letters quarantined, and those not yet resolved. */
  observationsLoaded: number;
  lastLoadedAt: string | null;
  quarantined: number;
  deadLettersWaiting: number;
  freshness: Freshness;
  /** When the next delivery is due at the latest (last received + frequency + grace). */
  dueBy: string | null;
  ageDays: number | null;
}

/** The parts of a connector's state file (<dataDir>/state/<feed>.json) that status reads; extra fields are ignored. */
const ConnectorStateFile = z.object({
  sources: z
    .record(
      z.string(),
      z.object({
        uri: z.string(),
        at: z.string(),
        records: z.number().default(0),
        rejected: z.number().default(0),
        refused: z.string().optional(),
      }),
    )
    .default({}),
});
type ConnectorStateFile = z.infer<typeof ConnectorStateFile>;

export function readConnectorState(stateDir: string, feed: string): ConnectorStateFile {
  try {
    return ConnectorStateFile.parse(JSON.parse(readFileSync(join(stateDir, `${feed}.json`), "utf8")));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { sources: {} };
    throw err;
  }
}

const DAY = 86_400_000;

export function feedStatus(
  spec: FeedSpec,
  state: ConnectorStateFile,
  counts: FeedCounts | undefined,
  now: Date,
): FeedStatus {
  const sources = Object.values(state.sources);
  const last = sources.reduce<(typeof sources)[number] | undefined>(
    (a, s) => (a === undefined || s.at > a.at ? s : a),
    undefined,
  );
  const rule = FRESHNESS[spec.frequency];
  const lastAt = last ? new Date(last.at) : undefined;
  const dueBy = lastAt ? new Date(lastAt.getTime() + (rule.everyDays + rule.graceDays) * DAY) : undefined;
  return {
    feed: spec.id,
    name: spec.name,
    department: spec.department.name,
    connector: spec.connector.kind,
    frequency: spec.frequency,
    lastReceived: last ? { uri: last.refused ? `${last.uri} (refused: in failed/)` : last.uri, at: last.at } : null,
    sourcesReceived: sources.length,
    recordsIngested: sources.reduce((n, s) => n + s.records, 0),
    rejectedAtIngest: sources.reduce((n, s) => n + s.rejected, 0),
    observationsLoaded: counts?.observations ?? 0,
    lastLoadedAt: counts?.lastLoadedAt ?? null,
    quarantined: counts?.quarantined ?? 0,
    deadLettersWaiting: counts?.deadLettersWaiting ?? 0,
    freshness: !dueBy ? "never" : now > dueBy ? "late" : "fresh",
    dueBy: dueBy?.toISOString() ?? null,
    ageDays: lastAt ? Math.floor((now.getTime() - lastAt.getTime()) / DAY) : null,
  };
}
