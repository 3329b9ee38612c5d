import { parentPort, workerData } from "node:worker_threads";
import { createPseudonymOf } from "./pseudonym-format.ts";

/**
 * The worker thread of pseudonymise.ts: hashes identifiers off ingest's thread, so reading and checking the next
 * records overlaps the keyed hash of a batch's identifiers. Identifiers come as one string and their lengths (one
 * copy, not one per identifier), and their pseudonyms go back as one string of 34 characters each.
 */
export interface HashRequest {
  seq: number;
  joined: string;
  lengths: Int32Array;
}
export interface HashReply {
  seq: number;
  pseudonyms: string;
}

const pseudonymOf = createPseudonymOf(workerData as Uint8Array);
parentPort?.on("message", ({ seq, joined, lengths }: HashRequest) => {
  const parts = new Array<string>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const end = at + lengths[i]!;
    parts[i] = pseudonymOf(joined.slice(at, end));
    at = end;
  }
  const reply: HashReply = { seq, pseudonyms: parts.join("") };
  parentPort?.postMessage(reply);
});
