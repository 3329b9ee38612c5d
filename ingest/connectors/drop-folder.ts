import { createReadStream, mkdirSync, readdirSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { FeedSpec } from "../../schemas/index.ts";
import type { SourceUnit } from "./types.ts";

type FileDrop = Extract<FeedSpec["connector"], { kind: "file-drop" }>;

/** Folders the connector writes into; never read as input. */
const OUTPUT_DIRS = new Set(["processed", "failed"]);

/** A file waiting in a drop folder, or one refused with why. */
export interface DropFile {
  path: string;
  uri: string;
  size: number;
  mtimeMs: number;
  problem?: string;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "is"); // s: a file name with a line break in it still matches `*`
}

/** The feed's drop folder, or why it is refused: a relative path must stay under the drop root (no `..` out of it). */
export function resolveDropFolder(
  connector: FileDrop,
  dropRoot: string,
): { ok: true; path: string } | { ok: false; reason: string } {
  if (isAbsolute(connector.path)) return { ok: true, path: connector.path };
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
        if (connector.recursive) walk(full);
        continue;
      }
      if (entry.name.startsWith(".") || !pattern.test(entry.name)) continue;
      const uri = relative(root, full).split(sep).join("/");
      let real: string;
      try {
        real = realpathSync(full);
      } catch {
        found.push({ path: full, uri, size: 0, mtimeMs: 0, problem: "a link that points nowhere" });
        continue;
      }
      if (!real.startsWith(realRoot + sep)) {
        found.push({
          path: full,
          uri,
          size: 0,
          mtimeMs: 0,
          problem: "a link to a path outside the drop folder; refused",
        });
        continue;
      }
      const st = statSync(real, { throwIfNoEntry: false });
      if (!st) continue; // moved away meanwhile
      if (!st.isFile()) found.push({ path: full, uri, size: 0, mtimeMs: st.mtimeMs, problem: "not a regular file" });
      else found.push({ path: full, uri, size: st.size, mtimeMs: st.mtimeMs });
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

/** Describes one dropped file as a source to read. */
export async function describeFile(path: string, uri: string): Promise<SourceUnit> {
  const st = statSync(path);
  return {
    uri,
    checksum: await sha256File(path),
    bytes: st.size,
    publishedAt: new Date(st.mtimeMs).toISOString(),
    open: () => createReadStream(path),
  };
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
