import { existsSync, mkdirSync, watch, type FSWatcher } from "node:fs";
import { resolveDropFolder } from "../connectors/drop-folder.ts";
import { createDaemonTimers, createPassRunner } from "../daemon-passes.ts";
import { runRecordIngestOnce, type RecordFeedRunStats, type RecordIngestOptions } from "./run-record-ingest.ts";

export interface RecordIngestDaemonOptions extends RecordIngestOptions {
  /** Every record drop folder is rescanned this often: file events can be lost. */
  rescanMs?: number;
}

export interface RecordIngestDaemon {
  /** Resolves once every record feed's folder has been read once. */
  readonly firstPass: Promise<void>;
  totals(): RecordFeedRunStats[];
  /** Stops watching, lets a pass under way finish its file, and returns the counts. */
  stop(): Promise<RecordFeedRunStats[]>;
}

const add = (a: RecordFeedRunStats, b: RecordFeedRunStats): RecordFeedRunStats => ({
  feed: a.feed,
  files: a.files + b.files,
  duplicates: a.duplicates + b.duplicates,
  records: a.records + b.records,
  rejected: a.rejected + b.rejected,
  batches: a.batches + b.batches,
  refusedFiles: a.refusedFiles + b.refusedFiles,
  // Pending is a state, not a count: what the last pass left.
  pending: b.pending,
});

/**
 * `gongfu ingest --watch` for record feeds: watches their drop folders (plus a periodic rescan) and reads what is
 * ready with the same code as a one-shot ingest. Passes run one at a time, one feed at a time, so a file is never
 * read twice at once; an event during a pass asks for one more pass after it. A file still being written waits
 * until it has settled (settleMs), then a pass is triggered for it.
 */
export async function startRecordIngestDaemon(options: RecordIngestDaemonOptions): Promise<RecordIngestDaemon> {
  const log = options.logger.child({ stage: "ingest" });
  const stop = new AbortController();
  const watchers: FSWatcher[] = [];
  const totals = new Map<string, RecordFeedRunStats>();
  const { later, clearAll } = createDaemonTimers(stop.signal);
  const { trigger, idle } = createPassRunner(async () => {
    try {
      const stats = await runRecordIngestOnce(options);
      for (const s of stats) totals.set(s.feed, add(totals.get(s.feed) ?? { feed: s.feed, pending: 0, ...zero }, s));
      if (stats.some((s) => s.pending > 0)) later(options.settleMs ?? 1000, () => void trigger());
    } catch (err) {
      // A missing key or an unreachable broker: say so and try again at the next event or rescan.
      log.error({ err }, "record ingest pass failed; trying again at the next trigger");
    }
  }, stop.signal);

  for (const spec of options.specs) {
    const folder = resolveDropFolder(spec.connector, options.dropRoot, options.allowedRoots);
    if (!folder.ok) continue;
    if (!existsSync(folder.path)) mkdirSync(folder.path, { recursive: true });
    try {
      // Events only say "look again"; which files are ready is decided by the pass.
      const w = watch(folder.path, { recursive: spec.connector.recursive, signal: stop.signal }, () =>
        later(100, () => void trigger()),
      );
      w.on("error", (err) => log.warn({ feed: spec.id, err }, "file watch failed; the periodic rescan goes on"));
      watchers.push(w);
    } catch (err) {
      log.warn({ feed: spec.id, err }, "file watching unavailable; relying on the periodic rescan");
    }
  }
  const rescan = setInterval(() => void trigger(), options.rescanMs ?? 30_000);
  const firstPass = trigger();
  log.info({ feeds: options.specs.map((s) => s.id) }, "record ingest daemon started");
  const current = () => [...totals.values()].map((t) => ({ ...t }));
  return {
    firstPass,
    totals: current,
    async stop() {
      stop.abort();
      clearInterval(rescan);
      clearAll();
      for (const w of watchers) w.close();
      await idle();
      log.info("record ingest daemon stopped");
      return current();
    },
  };
}

const zero = { files: 0, duplicates: 0, records: 0, rejected: 0, batches: 0, refusedFiles: 0 };
