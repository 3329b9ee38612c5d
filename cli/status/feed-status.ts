import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { periodEnd, type FeedSpec } from "../../schemas/index.ts";
import type { FeedCounts } from "../../load/index.ts";

/** How often a feed is expected, and how late it may be before it counts as late, in days. */
export const FRESHNESS = {
  daily: { everyDays: 1, graceDays: 1 },
  monthly: { everyDays: 31, graceDays: 15 },
  quarterly: { everyDays: 92, graceDays: 30 },
  annual: { everyDays: 366, graceDays: 60 },
} as const;

export type Freshness = "fresh" | "late" | "never";

/**
 * Why rows in and observations loaded differ. A row of a wide layout gives one observation per indicator column; a
 * cell with a missing-value marker gives none; a row dead-lettered at transform gives none (or only its good cells);
 * an observation delivered again (same indicator, region, period and vintage, from a re-sent file or a redelivery)
 * is loaded once.
 */
export interface RowsExplained {
  rowsIn: number;
  observationsPerRow: number;
  /** rowsIn × observationsPerRow: what the rows could give at most. */
  cells: number;
  loaded: number;
  deadLettersTransform: number;
  /** Cells sent with a missing-value marker, recorded in missing_cell. */
  missingCells: number;
  /** cells − loaded − deadLettersTransform: cells without a value, and observations delivered again. */
  missingOrRepeated: number;
}

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
  /** The latest period of the feed's data in the warehouse, and when data of the period after it is due at the latest. */
  latestPeriod: string | null;
  dataDueBy: string | null;
  /** What makes a late feed late: nothing arrived in time, or what arrived is about an old period (or both). */
  lateBecause: Array<"arrival" | "data">;
  rows: RowsExplained;
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
  // The data's own age: the period after the latest one ends `everyDays` later, and is due `graceDays` after that.
  const ownFrequency = spec.frequency === "daily" ? undefined : counts?.latestByFrequency[spec.frequency];
  const latestPeriod = ownFrequency ?? counts?.latestPeriod ?? null;
  const latestEnd = latestPeriod ? endOfPeriod(latestPeriod) : undefined;
  const dataDueBy = latestEnd ? new Date(latestEnd.getTime() + (rule.everyDays + rule.graceDays) * DAY) : undefined;
  const lateBecause: FeedStatus["lateBecause"] = [];
  if (dueBy && now > dueBy) lateBecause.push("arrival");
  if (dataDueBy && now > dataDueBy) lateBecause.push("data");
  const rowsIn = sources.reduce((n, s) => n + s.records, 0);
  const perRow = spec.layout.kind === "wide" ? Object.keys(spec.layout.columns).length : 1;
  const loaded = counts?.observations ?? 0;
  const deadLettersTransform = counts?.quarantinedByStage["transform"] ?? 0;
  return {
    feed: spec.id,
    name: spec.name,
    department: spec.department.name,
    connector: spec.connector.kind,
    frequency: spec.frequency,
    lastReceived: last ? { uri: last.refused ? `${last.uri} (refused: in failed/)` : last.uri, at: last.at } : null,
    sourcesReceived: sources.length,
    recordsIngested: rowsIn,
    rejectedAtIngest: sources.reduce((n, s) => n + s.rejected, 0),
    observationsLoaded: loaded,
    lastLoadedAt: counts?.lastLoadedAt ?? null,
    quarantined: counts?.quarantined ?? 0,
    deadLettersWaiting: counts?.deadLettersWaiting ?? 0,
    freshness: !dueBy ? "never" : lateBecause.length > 0 ? "late" : "fresh",
    dueBy: dueBy?.toISOString() ?? null,
    ageDays: lastAt ? Math.floor((now.getTime() - lastAt.getTime()) / DAY) : null,
    latestPeriod,
    dataDueBy: dataDueBy?.toISOString() ?? null,
    lateBecause,
    rows: {
      rowsIn,
      observationsPerRow: perRow,
      cells: rowsIn * perRow,
      loaded,
      deadLettersTransform,
      missingCells: counts?.missingCells ?? 0,
      missingOrRepeated: Math.max(0, rowsIn * perRow - loaded - deadLettersTransform),
    },
  };
}

/** The end of a period's last day (UTC), or undefined for a period this gongfu cannot read. */
function endOfPeriod(period: string): Date | undefined {
  try {
    return new Date(`${periodEnd(period)}T23:59:59.999Z`);
  } catch {
    return undefined;
  }
}
