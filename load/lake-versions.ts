import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, posix } from "node:path";
import { moveSynced, publishFile, tempPathFor } from "./atomic-file.ts";

/**
 * Every lake file is written once under a name of its own and never changed:
 *   <folder>/<base>.parquet                      the current version, for pyarrow, pandas, polars, Spark
 *   <folder>/_v/<base>/<generation>.parquet      every version, for DuckDB (bi.duckdb's views)
 * The first is a hard link to the newest of the second, so a version is written once (a copy where the filesystem
 * has no hard links).
 *
 * Why two names: DuckDB opens a Parquet file more than once in one query (at bind, for its footer, then again for
 * each scan), each time by its path. A file renamed over in between is read with the footer of one version and the
 * bytes of the other: "ZSTD Decompression failure", "Variable-length int over 10 bytes", or numbers that were never
 * in either version. So DuckDB readers glob the versions and keep the newest of each folder
 * (`QUALIFY filename = max(filename) OVER (…)`, bi-views.ts): a path they bound is never changed, and a version
 * published after they bound is simply not in their glob. The Arrow readers skip `_v` (a leading `_` hides a folder
 * from their dataset discovery) and open each file once.
 *
 * A superseded version is removed once SUPERSEDED_GRACE_MS has passed since the next one was published: a query
 * that globbed it before then and opens it later than that fails (an IO error: the file is gone) rather than read a
 * version that is no longer current.
 */
export const VERSIONS_FOLDER = "_v";
export const SUPERSEDED_GRACE_MS = 60_000;
const GENERATION_DIGITS = 12;
const VERSION_NAME = new RegExp(`^\\d{${GENERATION_DIGITS}}\\.parquet$`);

/** `<folder>/_v/<base>`: where the versions of `<folder>/<base>.parquet` live. */
export function versionsFolder(file: string): string {
  return join(dirname(file), VERSIONS_FOLDER, basename(file, ".parquet"));
}

/** A lake file's versions, oldest first (fixed-width generations sort as numbers). */
function versionsIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => VERSION_NAME.test(name))
    .sort();
}

/** The newest version of a lake file, or undefined when it has none (a lake written before versions, or none). */
export function currentVersion(file: string): string | undefined {
  const folder = versionsFolder(file);
  const newest = versionsIn(folder).at(-1);
  return newest === undefined ? undefined : join(folder, newest);
}

/**
 * Publishes a finished temporary Parquet file of `rows` rows as the next version of `file`, then points `file` at it.
 * Only one process writes a lake (the loader holds the warehouse), so the next generation is the newest on disk plus
 * one. Returns the version's path.
 *
 * An empty version supersedes at once: readers pick the newest version by the rows they read, and an empty one has
 * none, so an older version left beside it would be read as current. Its older versions are removed now; a query
 * that globbed one of them fails instead.
 */
export function publishLakeVersion(tempPath: string, file: string, rows: number, now = Date.now()): string {
  const folder = versionsFolder(file);
  mkdirSync(folder, { recursive: true });
  const newest = versionsIn(folder).at(-1);
  const generation = newest === undefined ? 1 : Number(newest.slice(0, GENERATION_DIGITS)) + 1;
  const version = join(folder, `${String(generation).padStart(GENERATION_DIGITS, "0")}.parquet`);
  moveSynced(tempPath, version);
  const plain = tempPathFor(file);
  linkOrCopy(version, plain);
  publishFile(plain, file);
  pruneVersions(folder, rows === 0 ? 0 : SUPERSEDED_GRACE_MS, now);
  return version;
}

/** A hard link, or a copy where the filesystem has none (some network shares, exFAT): the plain name costs space. */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EMLINK") throw err;
    copyFileSync(from, to);
  }
}

/** Removes the versions in one folder superseded more than `graceMs` ago; the newest always stays. */
function pruneVersions(folder: string, graceMs: number, now: number): number {
  const names = versionsIn(folder);
  let removed = 0;
  for (let i = 0; i + 1 < names.length; i++) {
    // A version is superseded when the next one is published, which sets the next one's ctime (rename, link). Its
    // ctime moves again when a later version takes the plain name (one link fewer): later, so never too early.
    const supersededAt = statSync(join(folder, names[i + 1]!)).ctimeMs;
    if (graceMs > 0 && now - supersededAt < graceMs) break;
    rmSync(join(folder, names[i]!), { force: true });
    removed++;
  }
  return removed;
}

/** Removes every version under `lakeDir` superseded more than `graceMs` ago. Returns how many it removed. */
export function pruneLakeVersions(lakeDir: string, graceMs = SUPERSEDED_GRACE_MS, now = Date.now()): number {
  if (!existsSync(lakeDir)) return 0;
  let removed = 0;
  for (const entry of readdirSync(lakeDir, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory() && basename(entry.parentPath) === VERSIONS_FOLDER)
      removed += pruneVersions(join(entry.parentPath, entry.name), graceMs, now);
  }
  return removed;
}

/** `fact_observation/*\/data.parquet` → `fact_observation/*\/_v/data/*.parquet`: a lake path's versions, as a glob. */
export function versionsGlob(file: string): string {
  return posix.join(posix.dirname(file), VERSIONS_FOLDER, posix.basename(file, ".parquet"), "*.parquet");
}

/**
 * The clause that keeps, of a versions glob, the rows of the newest version in each folder (`partitionBy`: the Hive
 * column that tells the folders apart; none for a single file's versions). It is evaluated over the rows of the
 * one scan, so it picks among the versions that scan globbed. `filename` is DuckDB's virtual column (`SELECT *`
 * leaves it out), so no lake table may have a column of that name.
 */
export function newestVersionOnly(partitionBy?: string): string {
  return `QUALIFY filename = max(filename) OVER (${partitionBy ? `PARTITION BY ${partitionBy}` : ""})`;
}
