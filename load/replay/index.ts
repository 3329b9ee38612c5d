// Replaying dead letters: what waits in quarantine, marking it resolved, and what the warehouse holds per source record.
export { markResolved, sourceKey, waitingDeadLetters, type Replayable, type WaitingDeadLetters } from "./quarantine.ts";
export { loadedBySource } from "./loaded-by-source.ts";
