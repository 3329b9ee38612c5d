import {
  constants,
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createHash } from "node:crypto";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { isUnder, type FeedSpec } from "../../schemas/index.ts";
import type { SourceUnit } from "./types.ts";

type FileDrop = Extract<FeedSpec["connector"], { kind: "file-drop" }>;

/** Folders the connector writes into; never read as input. */
const OUTPUT_DIRS = new Set(["processed", "failed"]);
/** The suffix of a marker file a department may send once its file is complete: `x.csv.done` for `x.csv`. */
export const DONE_SUFFIX = ".done";
/** Names of files still being uploaded by common tools: never data. */
const IN_PROGRESS = /\.(tmp|part|partial|crdownload|filepart)$/i;

/** A file waiting in a drop folder, or one refused with why. */
export interface DropFile {
  path: string;
  uri: string;
  size: number;
  mtimeMs: number;
  /** A `.done` marker file sits beside it: the department says the file is complete. */
  marker: boolean;
  problem?: string;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "is"); // s: a file name with a line break in it still matches `*`
}

/**
 * The feed's drop folder, or why it is refused: a relative path must stay under the drop root (no `..` out of it),
 * an absolute one must lie under one of `allowedRoots` (the configuration's `ingest.allowedRoots`).
 */
export function resolveDropFolder(
  connector: FileDrop,
  dropRoot: string,
  allowedRoots: readonly string[] = [],
): { ok: true; path: string } | { ok: false; reason: string } {
  if (isAbsolute(connector.path)) {
    if (allowedRoots.some((r) => isUnder(connector.path, r))) return { ok: true, path: connector.path };
    return { ok: false, reason: `connector.path ${connector.path} is outside the drop root and ingest.allowedRoots` };
  }
  const root = resolve(dropRoot);
  const path = resolve(root, connector.path);
  const rel = relative(root, path);
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel))
    return { ok: false, reason: `connector.path ${connector.path} leads outside the drop root ${root}` };
  return { ok: true, path };
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The files waiting in a drop folder (recursively), oldest first; links out of the folder are refused. */
export function listDropFiles(root: string, connector: FileDrop): DropFile[] {
  const pattern = globToRegExp(connector.pattern);
  const realRoot = realpathSync(root);
  const found: DropFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (dir === root && OUTPUT_DIRS.has(entry.name)) continue;
        if (entry.name.startsWith(".")) continue; // hidden folders: an uploader's staging area
        if (connector.recursive) walk(full);
        continue;
      }
      if (entry.name.startsWith(".") || IN_PROGRESS.test(entry.name) || entry.name.endsWith(DONE_SUFFIX)) continue;
      if (!pattern.test(entry.name)) continue;
      const marker = existsSync(`${full}${DONE_SUFFIX}`);
      const uri = relative(root, full).split(sep).join("/");
      let real: string;
      try {
        real = realpathSync(full);
      } catch {
        found.push({ path: full, uri, size: 0, mtimeMs: 0, marker, problem: "a link that points nowhere" });
        continue;
      }
      if (!real.startsWith(realRoot + sep)) {
        found.push({
          path: full,
          uri,
          size: 0,
          mtimeMs: 0,
          marker,
          problem: "a link to a path outside the drop folder; refused",
        });
        continue;
      }
      const st = statSync(real, { throwIfNoEntry: false });
      if (!st) continue; // moved away meanwhile
      const file = { path: full, uri, size: st.size, mtimeMs: st.mtimeMs, marker };
      if (!st.isFile()) found.push({ ...file, size: 0, problem: "not a regular file" });
      // A hard link shares its bytes with a file elsewhere, as a symbolic link does; moving it would not move them.
      else if (st.nlink > 1) found.push({ ...file, problem: "a hard link (the file has other names); refused" });
      else found.push(file);
    }
  };
  walk(root);
  return found.sort((a, b) => a.mtimeMs - b.mtimeMs || a.uri.localeCompare(b.uri));
}

/** True when the file still has the size and time it had when listed: nobody is writing it any more. */
export function isUnchanged(file: DropFile): boolean {
  const st = statSync(file.path, { throwIfNoEntry: false });
  return st !== undefined && st.size === file.size && st.mtimeMs === file.mtimeMs;
}

/** How long until a file has gone `settleMs` without a write (0: ready now); a marker file makes it ready at once. */
export function settleRemainingMs(file: DropFile, settleMs: number, now: number): number {
  if (file.problem !== undefined || file.marker || settleMs <= 0) return 0;
  const age = now - file.mtimeMs;
  // A time in the future (clock skew, touch -d): it has to be seen unchanged for a whole settle time.
  return age < 0 ? settleMs : Math.max(0, settleMs - age);
}

/** Describes one dropped file as a source to read. */
export async function describeFile(path: string, uri: string, mtimeMs?: number): Promise<SourceUnit> {
  const st = statSync(path);
  return {
    uri,
    checksum: await sha256File(path),
    bytes: st.size,
    publishedAt: new Date(mtimeMs ?? st.mtimeMs).toISOString(),
    open: () => createReadStream(path),
    path,
  };
}

/** A copy of a dropped file taken while nobody wrote it, or undefined when the file changed during the copy. */
export function snapshotFile(
  file: DropFile,
  scratchDir: string,
): { path: string; size: number; mtimeMs: number } | undefined {
  const before = statSync(file.path);
  mkdirSync(scratchDir, { recursive: true });
  const path = join(scratchDir, `${process.pid}-${Date.now()}-${basename(file.path)}`);
  // A reflink where the file system has them, a plain copy elsewhere; the copy is what gets read, never the original.
  copyFileSync(file.path, path, constants.COPYFILE_FICLONE);
  const after = statSync(file.path, { throwIfNoEntry: false });
  const copied = statSync(path).size;
  if (!after || after.size !== before.size || after.mtimeMs !== before.mtimeMs || copied !== before.size) {
    rmSync(path, { force: true });
    return undefined;
  }
  return { path, size: before.size, mtimeMs: before.mtimeMs };
}

/** Removes a file's `.done` marker once the file itself has been archived. */
export function removeMarker(path: string): void {
  rmSync(`${path}${DONE_SUFFIX}`, { force: true });
}

/** Moves a finished file to processed/ (or failed/ with a reason file), keeping its subfolder and never overwriting. */
export function archiveFile(root: string, path: string, outcome: "processed" | "failed", reason?: string): string {
  const rel = relative(root, path);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const target = join(root, outcome, dirname(rel), `${stamp}_${basename(rel)}`);
  mkdirSync(dirname(target), { recursive: true });
  renameSync(path, target);
  if (reason) writeFileSync(`${target}.reason.txt`, `${reason}\n`);
  return target;
}
