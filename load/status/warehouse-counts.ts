import type { DuckDBConnection } from "@duckdb/node-api";
import { WAREHOUSE, periodEnd, periodFrequency, type PeriodFrequency } from "../../schemas/index.ts";
import { rowsOf, tableExists } from "./read-warehouse.ts";

/** What the warehouse holds of one feed. */
export interface FeedCounts {
  observations: number;
  lastLoadedAt: string | null;
  quarantined: number;
  deadLettersWaiting: number;
  /** Cells the department sent with a missing-value marker (missing_cell): not reported, as against not received. */
  missingCells: number;
  /** Dead letters quarantined, per stage (ingest, transform). */
  quarantinedByStage: Record<string, number>;
  /** The period of the feed's data that ends last, e.g. 2024Q3; null without observations. */
  latestPeriod: string | null;
  /** The same per frequency of period: a monthly feed may carry annual totals that end after its last month. */
  latestByFrequency: Partial<Record<PeriodFrequency, string>>;
}

export interface WarehouseCounts {
  feeds: Map<string, FeedCounts>;
  /** Dead letters not yet resolved, per stage. */
  waitingByStage: Record<string, number>;
}

const iso = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());
const empty = (): FeedCounts => ({
  observations: 0,
  lastLoadedAt: null,
  quarantined: 0,
  deadLettersWaiting: 0,
  missingCells: 0,
  quarantinedByStage: {},
  latestPeriod: null,
  latestByFrequency: {},
});

const endOf = (period: string): string => {
  try {
    return periodEnd(period);
  } catch {
    return "";
  }
};

export async function warehouseCounts(connection: DuckDBConnection): Promise<WarehouseCounts> {
  const feeds = new Map<string, FeedCounts>();
  const of = (feed: string): FeedCounts => {
    let counts = feeds.get(feed);
    if (!counts) feeds.set(feed, (counts = empty()));
    return counts;
  };
  const waitingByStage: Record<string, number> = {};
  if (await tableExists(connection, WAREHOUSE.factObservation)) {
    for (const r of await rowsOf(
      connection,
      `SELECT source_feed AS feed, count(*) AS n, epoch_ms(max(loaded_at)) AS last FROM ${WAREHOUSE.factObservation} GROUP BY source_feed`,
    )) {
      const c = of(String(r["feed"]));
      c.observations = Number(r["n"]);
      c.lastLoadedAt = iso(r["last"]);
    }
    // Latest by the day the period ends: '2024-12' and '2024Q4' end with '2024'; string order would not say so.
    for (const r of await rowsOf(
      connection,
      `SELECT DISTINCT source_feed AS feed, period FROM ${WAREHOUSE.factObservation}`,
    )) {
      const c = of(String(r["feed"]));
      const period = String(r["period"]);
      if (c.latestPeriod === null || endOf(period) > endOf(c.latestPeriod)) c.latestPeriod = period;
      let frequency: PeriodFrequency;
      try {
        frequency = periodFrequency(period);
      } catch {
        continue;
      }
      const latest = c.latestByFrequency[frequency];
      if (latest === undefined || endOf(period) > endOf(latest)) c.latestByFrequency[frequency] = period;
    }
  }
  if (await tableExists(connection, WAREHOUSE.missingCell))
    for (const r of await rowsOf(
      connection,
      `SELECT source_feed AS feed, count(*) AS n FROM ${WAREHOUSE.missingCell} GROUP BY 1`,
    ))
      of(String(r["feed"])).missingCells = Number(r["n"]);
  if (await tableExists(connection, WAREHOUSE.quarantine)) {
    for (const r of await rowsOf(
      connection,
      `SELECT feed, stage, count(*) AS n, count(*) FILTER (WHERE resolved_at IS NULL) ` +
        `AS waiting FROM ${WAREHOUSE.quarantine} GROUP BY feed, stage`,
    )) {
      const c = of(String(r["feed"]));
      c.quarantined += Number(r["n"]);
      c.deadLettersWaiting += Number(r["waiting"]);
      const stage = String(r["stage"]);
      c.quarantinedByStage[stage] = (c.quarantinedByStage[stage] ?? 0) + Number(r["n"]);
      waitingByStage[stage] = (waitingByStage[stage] ?? 0) + Number(r["waiting"]);
    }
  }
  return { feeds, waitingByStage };
}
