/**
 * What both ingest daemons (observation feeds and record feeds) share: passes that never overlap, and timers that
 * die with the daemon.
 */

/**
 * Runs `pass` one at a time. A trigger while a pass runs asks for exactly one more pass after it, however many
 * triggers arrive (a burst of file events); `idle` resolves once no pass runs. `pass` reports its own failures:
 * the next trigger simply tries again. Nothing starts once `stop` is aborted.
 */
export function createPassRunner(pass: () => Promise<void>, stop: AbortSignal) {
  let running: Promise<void> | undefined;
  let again = false;
  const run = async () => {
    do {
      again = false;
      await pass();
    } while (again && !stop.aborted);
  };
  const trigger = (): Promise<void> => {
    if (stop.aborted) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = run().finally(() => (running = undefined));
    return running;
  };
  return { trigger, idle: (): Promise<void> => running ?? Promise.resolve() };
}

/** Timers that do nothing once `stop` is aborted, and that `clearAll` cancels at the daemon's stop. */
export function createDaemonTimers(stop: AbortSignal) {
  const timers = new Set<NodeJS.Timeout>();
  return {
    later(ms: number, fn: () => void): void {
      if (stop.aborted) return;
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    },
    clearAll(): void {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
