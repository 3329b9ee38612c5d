import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

const TEMP_SUFFIX = ".gongfu-tmp";
let counter = 0;

/**
 * A temporary name beside `finalPath`, in the same folder (so the rename is atomic) and hidden from readers:
 * a leading dot and a suffix no glob such as `*.parquet` or `*.duckdb` matches.
 */
export function tempPathFor(finalPath: string): string {
  mkdirSync(dirname(finalPath), { recursive: true });
  return join(dirname(finalPath), `.${basename(finalPath)}.${process.pid}-${++counter}${TEMP_SUFFIX}`);
}

function fsyncPath(path: string, flags: "r" | "r+"): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Publishes a finished temporary file under its final name. rename(2) replaces the old file in one step: a reader
 * opening the path gets the old file or the new one, whole, and one that already has the old file open keeps reading it.
 * The data and the folder entry are synced first and after, so a power cut leaves one of the two versions.
 */
export function publishFile(tempPath: string, finalPath: string): void {
  giveNewerWholeSecond(tempPath, finalPath);
  moveSynced(tempPath, finalPath);
}

/** Moves a finished file to a name nothing held before (a lake version): synced before, its folder after. */
export function moveSynced(tempPath: string, finalPath: string): void {
  fsyncPath(tempPath, "r+");
  renameSync(tempPath, finalPath);
  syncFolder(dirname(finalPath));
}

function syncFolder(folder: string): void {
  try {
    fsyncPath(folder, "r");
  } catch {
    // Some filesystems cannot sync a directory; the rename itself is still atomic.
  }
}

/**
 * DuckDB's external file cache (on by default since 1.3) keeps byte ranges of files a connection has read and
 * trusts them while the file's modification time, in whole seconds, is unchanged. Two versions published within
 * one second would then read as a mix of both in a long-lived connection that reads the plain path. So every new
 * version gets a modification time at least one whole second after the one it replaces. (bi.duckdb's views read the
 * lake's versions, whose names are never reused: lake-versions.ts.)
 */
function giveNewerWholeSecond(tempPath: string, finalPath: string): void {
  let previous = 0;
  try {
    previous = Math.floor(statSync(finalPath).mtimeMs / 1000);
  } catch {
    return; // nothing replaced, nothing cached
  }
  const seconds = Math.max(Math.floor(Date.now() / 1000), previous + 1);
  utimesSync(tempPath, seconds, seconds);
}

/** Removes temporary files a killed process left behind in `root` (only ours: they carry our suffix, or DuckDB's WAL of one). */
export function removeStaleTemps(root: string, options: { recursive: boolean }): number {
  if (!existsSync(root)) return 0;
  let removed = 0;
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: options.recursive })) {
    if (entry.isFile() && (entry.name.endsWith(TEMP_SUFFIX) || entry.name.endsWith(`${TEMP_SUFFIX}.wal`))) {
      rmSync(join(entry.parentPath, entry.name), { force: true });
      removed++;
    }
  }
  return removed;
}
