import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { ConfigError, PipelineError, errorMessage } from "../runtime/errors.ts";
import { sharedThreads, threadCounts, threadLeases, type DuckDBThreads, type SharedThreads } from "./duckdb-threads.ts";
import { MIGRATIONS } from "./migrations/index.ts";
import { WAREHOUSE } from "../schemas/index.ts";

export interface Warehouse {
  readonly path: string;
  readonly connection: DuckDBConnection;
  /** Another connection to the same database (the lake's background export reads on one while merges write). */
  connect(): Promise<DuckDBConnection>;
  /** DuckDB's thread count, leased by what the loader is doing (duckdb-threads.ts); shared by the handles of one file. */
  readonly threads: DuckDBThreads;
  close(): void;
}

/**
 * DuckDB's memory limit for the writer. Its default (80% of RAM) let the loader reach 0.8-1.4 GB at 10^6-5·10^6
 * observations; GONGFU_DUCKDB_MEMORY_LIMIT overrides it (any DuckDB size, e.g. 512MB).
 */
const memoryLimit = (): string => {
  const given = process.env["GONGFU_DUCKDB_MEMORY_LIMIT"]?.trim();
  return given && /^\d+(\.\d+)?\s*[KMGT]i?B$/i.test(given) ? given : "256MB";
};

/**
 * How much write-ahead log DuckDB gathers before it checkpoints at a commit. At its default (16 MB) every record
 * batch's commit checkpointed: 77 commits of 10^7 households took 26.6 s of a 56 s load, 0.4-0.55 s each. With
 * 64 MB to 1 GB the same load took 39.5-44 s, its slow commits 22 to 6 (5-7 s in all); 256 MB is in the flat
 * middle. Observation loads are unchanged (10^6 rows in 8 merges, within the noise). The cost is a longer log to
 * replay after a crash, and up to this much more disk until the next checkpoint.
 */
const CHECKPOINT_THRESHOLD = "256MB";

/**
 * The storage format a new warehouse file is written in (an existing file keeps the one it was created with). DuckDB
 * 1.5 still writes v0.10.2's by default, so that any DuckDB since then reads the file; v1.4.0's compresses a
 * row group of facts at a merge's commit in about three quarters of the time (the newer string and double encodings:
 * 10^6 facts in row groups of 122,880, commits 2.03-2.09 s against 1.39-1.43 s, files of the same size). A file in it
 * opens in DuckDB 1.4.0 or newer (the long-term-support line); BI tools read bi.duckdb and the lake, which are
 * written in the default formats. docs/WAREHOUSE.md, "Storage format".
 */
export const STORAGE_VERSION = "v1.4.0";

/**
 * The cached instances with a connection open through openWarehouse. DuckDB's instance cache (1.5) hands out one
 * database per file, but holds it only weakly: once the DuckDBInstance object that came from the cache has been
 * garbage-collected while a connection still keeps the database open, the next `fromCache` of that file spins for
 * ever on one core, holding the cache's lock (it takes the database for one being shut down and waits for it to go).
 * Whether it happened depended on when V8 collected: `gongfu load` opening the record loader's connection beside the
 * observation loader's hung in some runs and not in others. Each open warehouse keeps its instance reachable here
 * until it is closed. test/load/instance-cache.test.ts shows the hang without this.
 */
const openInstances = new Set<DuckDBInstance>();

/**
 * The thread leases of each database, by file: shared by every handle openWarehouse gives on it (the instance cache
 * hands each a DuckDBInstance object of its own, so the file is the key).
 */
const fileThreads = new Map<string, SharedThreads>();

/** Opens (or creates) the warehouse file and brings its schema to the newest version. */
export async function openWarehouse(path: string): Promise<Warehouse> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let instance: DuckDBInstance;
  try {
    // The instance cache lets evaluate share the loader's instance inside one process (DuckDB allows one writer process).
    instance = await DuckDBInstance.fromCache(path, { storage_compatibility_version: STORAGE_VERSION });
  } catch (cause) {
    // Only a lock means another writer; a read-only or full folder must not send the reader looking for one.
    if (!/lock/i.test(errorMessage(cause)))
      throw new PipelineError(`cannot open the warehouse ${path}`, {
        cause,
        hint: "check that its folder is writable and has free space",
      });
    throw new PipelineError(`cannot open the warehouse ${path} (is another gongfu process writing to it?)`, {
      cause,
      hint: "stop the other gongfu load/run, or read the Parquet lake through bi.duckdb",
    });
  }
  openInstances.add(instance);
  const connection = await instance.connect();
  // Connections opened beside the first one (the lake's background export) keep the instance in use too: they are
  // closed with the warehouse at the latest, before the instance is let go.
  const others: DuckDBConnection[] = [];
  // The instance object is closed too, here on the caller's thread: the handle that closes last closes the database,
  // which checkpoints it. Left to the object's finalizer, that checkpoint ran inside Node's teardown at exit, and
  // ended some runs with glibc's "corrupted double-linked list" abort after all their work was done (a core dump had
  // FSST's symbol table allocating in CheckpointTask, under FinalizeDatabaseHolder). The other handles on the file
  // keep the database open meanwhile: each holds its own reference.
  const close = () => {
    for (const other of others.splice(0)) other.closeSync();
    connection.closeSync();
    instance.closeSync();
    openInstances.delete(instance);
  };
  const connect = async () => {
    const other = await instance.connect();
    others.push(other);
    return other;
  };
  let threads: DuckDBThreads;
  try {
    // Bounded memory: past the limit DuckDB spills a merge or an export to <warehouse>.tmp instead of growing RSS.
    await connection.run(`SET memory_limit = '${memoryLimit()}'`);
    await connection.run(`SET checkpoint_threshold = '${CHECKPOINT_THRESHOLD}'`);
    await migrate(connection);
    // Each ":memory:" opening is a database of its own, so only files share their leases.
    let shared = path === ":memory:" ? undefined : fileThreads.get(resolve(path));
    // With no lease held the database may have been closed and opened again since: its setting is read afresh.
    if (!shared || shared.narrow + shared.wide === 0) {
      const current = Number(
        (await connection.runAndReadAll("SELECT current_setting('threads')")).getRows()[0]?.[0] ?? 1,
      );
      const counts = threadCounts(current);
      if (counts.wide !== current) await connection.run(`SET threads = ${counts.wide}`);
      // Refreshed in place: the handles already open hold this object.
      if (shared) Object.assign(shared, { counts, applied: counts.wide });
      else {
        shared = sharedThreads(counts, counts.wide);
        if (path !== ":memory:") fileThreads.set(resolve(path), shared);
      }
    }
    threads = threadLeases(shared, connect);
  } catch (err) {
    close();
    throw err;
  }
  return { path, connection, connect, threads, close };
}

/**
 * Opens an existing warehouse read-only, without migrating it; fails while a loader holds it open for writing.
 * Closing it releases the file, so a loader can start afterwards.
 */
export async function openWarehouseReadOnly(path: string): Promise<Warehouse> {
  if (!existsSync(path))
    throw new ConfigError(`there is no warehouse at ${path}`, {
      hint: "run gongfu run or gongfu load first, or pass --data",
    });
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  return {
    path,
    connection,
    connect: () => instance.connect(),
    // A reader loads nothing: its queries keep DuckDB's default.
    threads: NO_LEASES,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

const noRelease = async (): Promise<void> => {};
const NO_LEASES: DuckDBThreads = { narrow: async () => noRelease, wide: async () => noRelease };

/** The schema version of the file: 0 for a new file. */
export async function schemaVersion(connection: DuckDBConnection): Promise<number> {
  await connection.run(
    `CREATE TABLE IF NOT EXISTS ${WAREHOUSE.schemaMigrations} (version INTEGER PRIMARY ` +
      `KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL ` +
      `DEFAULT current_timestamp)`,
  );
  const rows = (
    await connection.runAndReadAll(`SELECT coalesce(max(version), 0) AS v FROM ${WAREHOUSE.schemaMigrations}`)
  ).getRowObjects();
  return Number(rows[0]?.["v"] ?? 0);
}

/**
 * Applies every migration newer than the file's version (up to `upTo`, for tests that build an older file),
 * each in its own transaction. A file written by a newer gongfu is refused rather than misread.
 */
export async function migrate(connection: DuckDBConnection, options: { upTo?: number } = {}): Promise<number> {
  const current = await schemaVersion(connection);
  const newest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  if (current > newest)
    throw new ConfigError(`the warehouse has schema version ${current}, newer than this gongfu knows (${newest})`, {
      hint: "upgrade gongfu",
    });
  const target = options.upTo ?? newest;
  let applied = 0;
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    await connection.run("BEGIN TRANSACTION");
    try {
      await connection.run(m.sql);
      await connection.run(`INSERT INTO ${WAREHOUSE.schemaMigrations} (version, name) VALUES ($1, $2)`, [
        m.version,
        m.name,
      ]);
      await connection.run("COMMIT");
      applied++;
    } catch (cause) {
      await connection.run("ROLLBACK");
      throw new PipelineError(`warehouse migration ${m.version} (${m.name}) failed`, { cause });
    }
  }
  if (applied > 0) await checkpointDdl(connection);
  return Math.max(current, Math.min(target, newest));
}

/**
 * Folds schema changes into the file at once. DuckDB 1.5 cannot replay a WAL holding COMMENT ON COLUMN of a table
 * with a `DEFAULT current_timestamp` column ("GetDefaultDatabase with no default database set",
 * https://github.com/duckdb/duckdb/issues/19712): a crash before the next automatic checkpoint made the file unopenable.
 */
export async function checkpointDdl(connection: DuckDBConnection): Promise<void> {
  await connection.run("CHECKPOINT");
}
