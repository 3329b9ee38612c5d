import type { Logger } from "./logger.ts";

/** Long work reports how far it is: a redrawn line with rate and ETA on a TTY, an occasional debug log otherwise. */
export interface Progress {
  /** `n` more units done (default 1). */
  tick(n?: number): void;
  /** The total, once known (a file's row count is often known only later). */
  setTotal(total: number): void;
  /** Finishes: a TTY line gets its final state and a newline; a log gets one summary line. */
  done(): void;
}

export interface ProgressOptions {
  label: string;
  total?: number;
  /** What is counted, e.g. "rows". */
  unit?: string;
  /** Where a TTY line is drawn; default stderr. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Draw a line (default: whether the stream is a TTY). */
  tty?: boolean;
  /** Without a TTY, a debug line every `logEveryMs` (default 10 s) goes here; nothing at all without a logger. */
  logger?: Logger;
  redrawMs?: number;
  logEveryMs?: number;
  now?: () => number;
}

export interface ProgressState {
  label: string;
  unit: string;
  done: number;
  total: number | undefined;
  elapsedMs: number;
}

/** Units per second so far, or 0 before any time has passed. */
export function rateOf(s: ProgressState): number {
  return s.elapsedMs > 0 ? (s.done * 1000) / s.elapsedMs : 0;
}

/** Seconds left at the rate so far; undefined without a total or a rate. */
export function etaSeconds(s: ProgressState): number | undefined {
  const rate = rateOf(s);
  if (s.total === undefined || rate === 0) return undefined;
  return Math.max(0, (s.total - s.done) / rate);
}

const num = (n: number) => Math.round(n).toLocaleString("en-US");
function clock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (x: number) => String(x).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** "stats-bureau.csv 1,200/6,000 rows 20.0% · 400 rows/s · ETA 0:12" */
export function formatProgress(s: ProgressState): string {
  const count =
    s.total === undefined
      ? `${num(s.done)} ${s.unit}`
      : `${num(s.done)}/${num(s.total)} ${s.unit} ${((100 * s.done) / Math.max(1, s.total)).toFixed(1)}%`;
  const eta = etaSeconds(s);
  return `${s.label} ${count} · ${num(rateOf(s))} ${s.unit}/s${eta === undefined ? "" : ` · ETA ${clock(eta)}`}`;
}

export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? stream.isTTY === true;
  const redrawMs = options.redrawMs ?? 200;
  const logEveryMs = options.logEveryMs ?? 10_000;
  const started = now();
  let lastShown = started;
  let done = 0;
  let total = options.total;
  let finished = false;
  const state = (): ProgressState => ({
    label: options.label,
    unit: options.unit ?? "items",
    done,
    total,
    elapsedMs: now() - started,
  });
  const log = (msg: string) => {
    const s = state();
    options.logger?.debug(
      { progress: options.label, done: s.done, total: s.total, rate: Math.round(rateOf(s)), etaSeconds: etaSeconds(s) },
      msg,
    );
  };
  const draw = (final: boolean) => stream.write(`\r\x1b[2K${formatProgress(state())}${final ? "\n" : ""}`);

  return {
    tick(n = 1) {
      if (finished) return;
      done += n;
      const t = now();
      if (t - lastShown < (tty ? redrawMs : logEveryMs)) return;
      lastShown = t;
      if (tty) draw(false);
      else log("progress");
    },
    setTotal(n) {
      total = n;
    },
    done() {
      if (finished) return;
      finished = true;
      if (tty) draw(true);
      else log("progress finished");
    },
  };
}
