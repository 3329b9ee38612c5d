/**
 * Tells when a consumer has had nothing to do for `idleMs`: how `--until-idle` runs and tests know a stage caught up.
 * Busy time never counts as idle, however long a batch takes, and neither does the time before the group first
 * assigned partitions: a consumer still joining has not caught up with anything.
 */
export function createIdleTracker(idleMs: number) {
  let busy = 0;
  let joined = false;
  let lastActivity = Date.now();
  return {
    joined() {
      joined = true;
      lastActivity = Date.now();
    },
    busy() {
      busy++;
    },
    touch() {
      if (busy > 0) busy--;
      lastActivity = Date.now();
    },
    async untilIdle(): Promise<void> {
      for (;;) {
        const quietFor = Date.now() - lastActivity;
        if (joined && busy === 0 && quietFor >= idleMs) return;
        await new Promise((r) => setTimeout(r, Math.max(50, idleMs - quietFor)));
      }
    },
  };
}
