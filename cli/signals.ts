export interface SignalWatch {
  /** Resolves on the first SIGTERM or SIGINT. */
  readonly received: Promise<NodeJS.Signals>;
  dispose(): void;
}

/**
 * Watches for SIGTERM/SIGINT from the moment it is called, so a stage still joining its group also shuts down
 * cleanly. The first signal asks for a graceful stop; a second one ends the process at once, as people expect of
 * a second Ctrl-C.
 */
export function watchSignals(): SignalWatch {
  let first: NodeJS.Signals | undefined;
  let resolve: (signal: NodeJS.Signals) => void = () => {};
  const received = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const handler = (signal: NodeJS.Signals) => {
    if (first !== undefined) process.exit(signal === "SIGINT" ? 130 : 143);
    first = signal;
    resolve(signal);
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  return {
    received,
    dispose() {
      process.off("SIGTERM", handler);
      process.off("SIGINT", handler);
    },
  };
}

/** Resolves on the first SIGTERM or SIGINT, so a stage can finish its batch and leave its group cleanly. */
export function untilSignal(): Promise<NodeJS.Signals> {
  const watch = watchSignals();
  return watch.received.finally(() => watch.dispose());
}
