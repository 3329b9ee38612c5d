import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { DONE_SUFFIX } from "../ingest/index.ts";

/** The bundled sample feeds (made by us, labelled as sample data), laid out like a drop root. */
export const SAMPLES_DIR = fileURLToPath(new URL("../samples/feeds/", import.meta.url));

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Whether the feed folder's processed/ holds this very file already (archived as `<stamp>_<name>`). */
function alreadyProcessed(sample: string, folder: string): boolean {
  const processed = join(folder, "processed");
  if (!existsSync(processed)) return false;
  const size = statSync(sample).size;
  const copies = readdirSync(processed).filter((f) => f.endsWith(`_${basename(sample)}`));
  const same = copies.filter((f) => statSync(join(processed, f)).size === size);
  if (same.length === 0) return false;
  const hash = sha256(sample);
  return same.some((f) => sha256(join(processed, f)) === hash);
}

/**
 * Copies the sample files into the drop root, except those its processed/ folders hold already: a rerun of
 * `gongfu run --samples` neither produces them again nor adds another copy of each to processed/. Each copy gets a
 * `.done` marker, so ingest reads it at once: its timestamps are the sample's, and in a fresh clone they are minutes
 * old, which left the first run waiting out ingest.settleSeconds (60 s by default) before it read a file.
 */
export function dropSamples(dropDir: string): { copied: number; skipped: number } {
  const counts = { copied: 0, skipped: 0 };
  if (!existsSync(SAMPLES_DIR)) return counts;
  for (const entry of readdirSync(SAMPLES_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const sample = join(entry.parentPath, entry.name);
    const target = join(dropDir, relative(SAMPLES_DIR, sample));
    if (alreadyProcessed(sample, dirname(target))) {
      counts.skipped++;
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(sample, target);
    // The sample's timestamps, as cpSync's preserveTimestamps gave (a feed without a dated name takes its vintage
    // from them).
    const { atime, mtime } = statSync(sample);
    utimesSync(target, atime, mtime);
    writeFileSync(`${target}${DONE_SUFFIX}`, "");
    counts.copied++;
  }
  return counts;
}
