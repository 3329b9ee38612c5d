/** Resolves on the first SIGTERM or SIGINT, so a stage can finish its batch and leave its group cleanly. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      process.off("SIGTERM", handler);
      process.off("SIGINT", handler);
      resolve(signal);
    };
    process.on("SIGTERM", handler);
    process.on("SIGINT", handler);
  });
}
