import { mkdirSync, mkdtempSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchFeedSpec, generateLongCsv } from "../../../bench/generate-input.ts";

/** The files' modification time is their vintage: fixed, so every run publishes the same vintages. */
const PUBLISHED = new Date("2026-01-15T00:00:00Z");

export interface Workspace {
  root: string;
  data: string;
  feeds: string;
  /** Moves chunk k into the drop folder, as a department's upload would arrive. */
  drop(k: number): void;
}

/** A data folder, the bench feed spec and `chunks` files of generated observations (the same for the same k). */
export async function prepareWorkspace(name: string, chunks: number, rowsPerChunk: number): Promise<Workspace> {
  const root = mkdtempSync(join(tmpdir(), `gongfu-faults-${name}-`));
  const data = join(root, "data");
  const feeds = join(root, "feeds");
  const staging = join(root, "staging");
  for (const dir of [join(data, "inbox", "bench"), feeds, staging]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(feeds, "bench.yaml"), benchFeedSpec("bench"));
  for (let k = 0; k < chunks; k++) {
    const file = join(staging, `chunk-${k}.csv`);
    await generateLongCsv(file, rowsPerChunk, 1000 + k);
    utimesSync(file, PUBLISHED, PUBLISHED);
  }
  return {
    root,
    data,
    feeds,
    drop: (k) => renameSync(join(staging, `chunk-${k}.csv`), join(data, "inbox", "bench", `chunk-${k}.csv`)),
  };
}
