import { periodEnd, type RecordFeedSpec } from "../../schemas/index.ts";
import type { RecordFeedCounts } from "../../load/index.ts";
import { FRESHNESS, readConnectorState, type Freshness } from "./feed-status.ts";

/** A record feed in `gongfu status`: files and records in, what the warehouse loaded and derived from them. */
export interface RecordFeedStatus {
  feed: string;
  name: string;
  department: string;
  frequency: keyof typeof FRESHNESS;
  lastReceived: { uri: string; at: string } | null;
  /** Files ingest produced (or refused whole), from the feed's state file. */
  filesReceived: number;
  recordsIngested: number;
  rejectedAtIngest: number;
  /** From the warehouse: null when it could not be read (missing, or held by a loader). */
  filesLoaded: number | null;
  recordsLoaded: number | null;
  derivedCells: number | null;
  suppressedCells: number | null;
  lastLoadedAt: string | null;
  /** The latest period with a derived cell, and how many days ago the last file arrived. */
  latestPeriod: string | null;
  ageDays: number | null;
  freshness: Freshness;
  dueBy: string | null;
  /** When data of the period after the latest is due at the latest; past it, the data is old. */
  dataDueBy: string | null;
}

const DAY = 86_400_000;

function endOfPeriod(period: string): Date | undefined {
  try {
    return new Date(`${periodEnd(period)}T23:59:59.999Z`);
  } catch {
    return undefined;
  }
}

export function recordFeedStatus(
  spec: RecordFeedSpec,
  stateDir: string,
  counts: RecordFeedCounts | undefined,
  warehouseRead: boolean,
  now: Date,
): RecordFeedStatus {
  // Record ingest keeps its state file like a connector's: one entry per source, with its record counts.
  const sources = Object.values(readConnectorState(stateDir, spec.id).sources);
  const last = sources.reduce<(typeof sources)[number] | undefined>(
    (a, s) => (a === undefined || s.at > a.at ? s : a),
    undefined,
  );
  const rule = FRESHNESS[spec.frequency];
  const lastAt = last ? new Date(last.at) : undefined;
  const dueBy = lastAt ? new Date(lastAt.getTime() + (rule.everyDays + rule.graceDays) * DAY) : undefined;
  const latestPeriod = counts?.latestPeriod ?? null;
  const latestEnd = latestPeriod ? endOfPeriod(latestPeriod) : undefined;
  const dataDueBy = latestEnd ? new Date(latestEnd.getTime() + (rule.everyDays + rule.graceDays) * DAY) : undefined;
  const late = (dueBy !== undefined && now > dueBy) || (dataDueBy !== undefined && now > dataDueBy);
  const fromWarehouse = (n: number | undefined) => (warehouseRead ? (n ?? 0) : null);
  return {
    feed: spec.id,
    name: spec.name,
    department: spec.department.name,
    frequency: spec.frequency,
    lastReceived: last ? { uri: last.refused ? `${last.uri} (refused: in failed/)` : last.uri, at: last.at } : null,
    filesReceived: sources.length,
    recordsIngested: sources.reduce((n, s) => n + s.records, 0),
    rejectedAtIngest: sources.reduce((n, s) => n + s.rejected, 0),
    filesLoaded: fromWarehouse(counts?.filesLoaded),
    recordsLoaded: fromWarehouse(counts?.recordsLoaded),
    derivedCells: fromWarehouse(counts?.derivedCells),
    suppressedCells: fromWarehouse(counts?.suppressedCells),
    lastLoadedAt: counts?.lastLoadedAt ?? null,
    latestPeriod,
    ageDays: lastAt ? Math.floor((now.getTime() - lastAt.getTime()) / DAY) : null,
    freshness: !dueBy ? "never" : late ? "late" : "fresh",
    dueBy: dueBy?.toISOString() ?? null,
    dataDueBy: dataDueBy?.toISOString() ?? null,
  };
}
