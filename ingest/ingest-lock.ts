import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { PipelineError } from "../runtime/errors.ts";

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

function alive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // another machine's process: we cannot tell, so it holds the lock
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // exists, but not ours to signal
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LockOwner;
  } catch {
    return undefined; // gone meanwhile, or cut by a crash while it was written
  }
}

/**
 * Takes the ingest lock of a data folder (<state>/ingest.lock): one ingest process at a time reads the drop folders
 * and writes the connector state, as DuckDB admits one writer of the warehouse. A lock left by a process that is no
 * longer running is taken over. Returns the release function.
 */
export function acquireIngestLock(stateDir: string): () => void {
  const path = join(stateDir, "ingest.lock");
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(me), { flag: "wx" });
      return () => {
        if (readOwner(path)?.pid === me.pid) rmSync(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const owner = readOwner(path);
    if (owner && alive(owner))
      throw new PipelineError(
        `the ingest state ${stateDir} is locked by another process (pid ${owner.pid} on ${owner.host}, since ${owner.since})`,
        {
          hint:
            `one ingest at a time per data folder: stop the other gongfu ingest or run, or use another ` +
            `--data folder (delete ${path} only if that process is gone)`,
        },
      );
    rmSync(path, { force: true }); // its process is gone: a stale lock
  }
  throw new PipelineError(`could not take the ingest lock ${path}`, { hint: "another process keeps taking it" });
}
