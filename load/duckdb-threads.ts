import { availableParallelism } from "node:os";
import type { DuckDBConnection } from "@duckdb/node-api";

/**
 * DuckDB's thread count is one setting per database, and the loaders of one process share the database. They want
 * different counts:
 *
 * - The observation loader's work is single pipelines: a merge streams one buffer into the table, an export writes
 *   one partition per connection. With a second DuckDB thread, whichever thread does not hold the pipeline's one task
 *   waits for it; the thread that issued the query waits by spinning (duckdb/duckdb#22178: `ExecuteInternal` loops
 *   while the executor answers NO_TASKS_AVAILABLE). On two cores that spin takes the core that ingest and transform
 *   run on. With one thread fewer than the cores, the issuing thread runs the pipeline itself and nothing spins:
 *   10^6 observations in 9.2 s against 10.5 s, 3 s less CPU (BENCHMARKS.md, tenth session).
 * - The record loader's derivations are parallel aggregations that use every thread: on one thread the full
 *   derivation of 10^7 households took 20 s against 12 s.
 *
 * So each loader holds a lease for its work: `narrow` (the observation loader, while it runs) and `wide` (a record
 * delivery or derivation). A wide lease wins while it is held. With no lease, the setting is DuckDB's own default.
 * GONGFU_DUCKDB_THREADS fixes the count for both.
 */
export interface DuckDBThreads {
  /** Runs DuckDB on `narrowThreads` threads until the returned release is called, unless a wide lease is held. */
  narrow(): Promise<() => Promise<void>>;
  /** Runs DuckDB on `wideThreads` threads until the returned release is called. */
  wide(): Promise<() => Promise<void>>;
}

export interface ThreadCounts {
  narrow: number;
  wide: number;
}

/** The counts for this machine: the cores less one, at least one, and DuckDB's default; or GONGFU_DUCKDB_THREADS. */
export function threadCounts(duckdbDefault: number, env = process.env): ThreadCounts {
  const given = Number(env["GONGFU_DUCKDB_THREADS"]?.trim() || Number.NaN);
  if (Number.isInteger(given) && given > 0) return { narrow: given, wide: given };
  return { narrow: Math.max(1, Math.min(duckdbDefault, availableParallelism() - 1)), wide: duckdbDefault };
}

/** What the leases of one database share: the leases held and the count last applied. */
export interface SharedThreads {
  counts: ThreadCounts;
  narrow: number;
  wide: number;
  applied: number;
  /** SETs in the order the leases changed, so the last change is the one that stays. */
  queue: Promise<void>;
}

export function sharedThreads(counts: ThreadCounts, applied: number): SharedThreads {
  return { counts, narrow: 0, wide: 0, applied, queue: Promise.resolve() };
}

/**
 * Leases over one database, applied on a connection of its own, which runs nothing but these SETs (one on a
 * loader's connection would wait behind that loader's merge). It is opened by `connect` when a lease first changes
 * the setting: most handles (evaluate, status, a record-only process) never do. A SET that fails (the database
 * closing) changes nothing but speed: the lease is still taken or released, and the next change tries again.
 */
export function threadLeases(shared: SharedThreads, connect: () => Promise<DuckDBConnection>): DuckDBThreads {
  let connection: Promise<DuckDBConnection> | undefined;
  const apply = (): Promise<void> => {
    const next = shared.queue.then(async () => {
      const wanted = shared.narrow > 0 && shared.wide === 0 ? shared.counts.narrow : shared.counts.wide;
      if (wanted === shared.applied) return;
      connection ??= connect();
      await (await connection).run(`SET threads = ${wanted}`);
      shared.applied = wanted;
    });
    shared.queue = next.catch(() => {});
    return shared.queue;
  };
  const lease = async (kind: "narrow" | "wide"): Promise<() => Promise<void>> => {
    shared[kind]++;
    await apply();
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      shared[kind]--;
      await apply();
    };
  };
  return { narrow: () => lease("narrow"), wide: () => lease("wide") };
}
