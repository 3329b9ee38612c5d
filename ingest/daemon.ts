import { watch, existsSync, mkdirSync, type FSWatcher } from "node:fs";
import type { FeedSpec } from "../schemas/index.ts";
import { acquireIngestLock } from "./ingest-lock.ts";
import { CONNECTORS, connectorDeps, ingestTopics, type IngestOptions } from "./registry.ts";
import { resolveDropFolder } from "./connectors/drop-folder.ts";
import { createDaemonTimers, createPassRunner } from "./daemon-passes.ts";
import { addStats, emptyStats, type Connector, type FeedRunStats } from "./connectors/types.ts";

export interface IngestDaemonOptions extends IngestOptions {
  /** The safety net under file watching, whose events can be lost: every drop folder is rescanned this often. */
  rescanMs?: number;
}

/** How often the daemon folds the ingest journals into the state files that `gongfu status` reads. */
const STATE_FLUSH_MS = 10_000;

export interface IngestDaemon {
  /** Resolves once every feed has been polled at least once. */
  readonly firstPass: Promise<void>;
  /** Counts so far, per feed. */
  totals(): FeedRunStats[];
  /** Stops watching and polling, lets a poll under way finish its source, and returns the counts. */
  stop(): Promise<FeedRunStats[]>;
}

/**
 * Ingest as a daemon: watches every file-drop folder (recursive fs.watch where the platform has it, plus a
 * periodic rescan) and polls every HTTP feed on its `pollSeconds`, until `stop()`. Each feed is polled by one
 * loop at a time; an event during a poll triggers one more poll after it.
 */
export async function startIngestDaemon(options: IngestDaemonOptions): Promise<IngestDaemon> {
  const settleMs = options.settleMs ?? 1000;
  let lastStateFlush = Date.now();
  mkdirSync(options.stateDir, { recursive: true });
  // A second daemon on the same data folder would read the same files twice; refuse it before anything is read.
  const release = acquireIngestLock(options.stateDir);
  const deps = connectorDeps({ ...options, settleMs });
  const log = deps.logger;
  const stop = new AbortController();
  const watchers: FSWatcher[] = [];
  const totals = new Map(options.specs.map((s) => [s.id, emptyStats(s.id)] as const));
  await options.bus.ensureTopics(ingestTopics(options.specs, options.topics)).catch((err: unknown) => {
    release();
    throw err;
  });

  const { later, clearAll } = createDaemonTimers(stop.signal);

  function loop(spec: FeedSpec, connector: Connector) {
    const runner = createPassRunner(async () => {
      try {
        const s = await connector.poll(stop.signal);
        // What the poll published outside a source (dead letters of refused files) is committed now, not later.
        await options.bus.flush?.();
        totals.set(spec.id, addStats(totals.get(spec.id)!, s));
        // The state file is what `gongfu status` reads: fold the journal in now and then, not after every file.
        if (Date.now() - lastStateFlush > STATE_FLUSH_MS) {
          deps.state.flush();
          lastStateFlush = Date.now();
        }
        if (s.pending > 0) later(settleMs, () => void runner.trigger());
      } catch (err) {
        log.error({ feed: spec.id, err }, "poll failed; trying again at the next trigger");
      }
    }, stop.signal);
    return runner;
  }

  const loops = options.specs.map((spec) => {
    const connector = CONNECTORS[spec.connector.kind](spec, deps);
    const l = loop(spec, connector);
    if (spec.connector.kind === "http-poll") {
      const every = spec.connector.pollSeconds * 1000;
      const tick = (): void => void l.trigger().then(() => later(every, tick));
      return { ...l, first: () => l.trigger().then(() => later(every, tick)) };
    }
    const folder = resolveDropFolder(spec.connector, options.dropRoot, options.allowedRoots);
    if (folder.ok) {
      if (!existsSync(folder.path)) mkdirSync(folder.path, { recursive: true });
      try {
        // Events only say "look again"; which files are ready is decided by the scan.
        const w = watch(folder.path, { recursive: spec.connector.recursive, signal: stop.signal }, () =>
          later(100, () => void l.trigger()),
        );
        w.on("error", (err) => log.warn({ feed: spec.id, err }, "file watch failed; the periodic rescan goes on"));
        watchers.push(w);
      } catch (err) {
        log.warn({ feed: spec.id, err }, "file watching unavailable; relying on the periodic rescan");
      }
    }
    return { ...l, first: l.trigger };
  });
  const dropLoops = loops.filter((_l, i) => options.specs[i]!.connector.kind === "file-drop");
  const rescan = setInterval(() => dropLoops.forEach((l) => void l.trigger()), options.rescanMs ?? 30_000);
  const firstPass = Promise.all(loops.map((l) => l.first())).then(() => undefined);
  log.info({ feeds: options.specs.map((s) => s.id) }, "ingest daemon started");

  return {
    firstPass,
    totals: () => [...totals.values()].map((t) => ({ ...t })),
    async stop() {
      stop.abort();
      clearInterval(rescan);
      clearAll();
      for (const w of watchers) w.close();
      await Promise.all(loops.map((l) => l.idle()));
      deps.state.flush();
      release();
      log.info("ingest daemon stopped");
      return [...totals.values()];
    },
  };
}
