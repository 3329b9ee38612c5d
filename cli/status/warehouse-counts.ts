import type { DuckDBConnection } from "@duckdb/node-api";
import { rowsOf, tableExists } from "./read-warehouse.ts";

/** What the warehouse holds of one feed. */
export interface FeedCounts {
  observations: number;
  lastLoadedAt: string | null;
  quarantined: number;
  deadLettersWaiting: number;
}

export interface WarehouseCounts {
  feeds: Map<string, FeedCounts>;
  /** Dead letters not yet resolved, per stage. */
  waitingByStage: Record<string, number>;
}

const iso = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());
const empty = (): FeedCounts => ({ observations: 0, lastLoadedAt: null, quarantined: 0, deadLettersWaiting: 0 });

export async function warehouseCounts(connection: DuckDBConnection): Promise<WarehouseCounts> {
  const feeds = new Map<string, FeedCounts>();
  const of = (feed: string): FeedCounts => {
    let counts = feeds.get(feed);
    if (!counts) feeds.set(feed, (counts = empty()));
    return counts;
  };
  const waitingByStage: Record<string, number> = {};
  if (await tableExists(connection, "fact_observation")) {
    for (const r of await rowsOf(
      connection,
      "SELECT source_feed AS feed, count(*) AS n, epoch_ms(max(loaded_at)) AS last FROM fact_observation GROUP BY source_feed",
    )) {
      const c = of(String(r["feed"]));
      c.observations = Number(r["n"]);
      c.lastLoadedAt = iso(r["last"]);
    }
  }
  if (await tableExists(connection, "quarantine")) {
    for (const r of await rowsOf(
      connection,
      "SELECT feed, stage, count(*) AS n, count(*) FILTER (WHERE resolved_at IS NULL) AS waiting FROM quarantine GROUP BY feed, stage",
    )) {
      const c = of(String(r["feed"]));
      c.quarantined += Number(r["n"]);
      c.deadLettersWaiting += Number(r["waiting"]);
      const stage = String(r["stage"]);
      waitingByStage[stage] = (waitingByStage[stage] ?? 0) + Number(r["waiting"]);
    }
  }
  return { feeds, waitingByStage };
}
