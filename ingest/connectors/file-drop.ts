import { createReadStream, mkdirSync, readdirSync, renameSync, statSync, writeFileSync, realpathSync } from "node:fs";
import { createHash } from "node:crypto";
import { basename, dirname, join, relative, sep } from "node:path";
import type { FeedSpec } from "../../schemas/index.ts";
import type { SourceUnit } from "./types.ts";

type FileDrop = Extract<FeedSpec["connector"], { kind: "file-drop" }>;

/** Folders the connector writes into; never read as input. */
const OUTPUT_DIRS = new Set(["processed", "failed"]);

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "i");
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The files waiting in a drop folder (recursively), oldest first; links out of the folder are refused. */
export function listDropFiles(root: string, connector: FileDrop): { path: string; uri: string; problem?: string }[] {
  const pattern = globToRegExp(connector.pattern);
  const realRoot = realpathSync(root);
  const found: { path: string; uri: string; problem?: string; mtime: number }[] = [];
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
        found.push({ path: full, uri, problem: "a link that points nowhere", mtime: 0 });
        continue;
      }
      if (!real.startsWith(realRoot + sep)) found.push({ path: full, uri, problem: "a link to a path outside the drop folder", mtime: 0 });
      else found.push({ path: full, uri, mtime: statSync(real).mtimeMs });
    }
  };
  walk(root);
  return found.sort((a, b) => a.mtime - b.mtime || a.uri.localeCompare(b.uri)).map(({ mtime: _m, ...f }) => f);
}

/** Describes one dropped file as a source to read. */
export async function describeFile(path: string, uri: string): Promise<SourceUnit> {
  const st = statSync(path);
  return { uri, checksum: await sha256File(path), bytes: st.size, publishedAt: new Date(st.mtimeMs).toISOString(), open: () => createReadStream(path) };
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
