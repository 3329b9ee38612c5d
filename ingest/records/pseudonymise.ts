import { Worker } from "node:worker_threads";
import { createPseudonymOf, PSEUDONYM_LENGTH } from "./pseudonym-format.ts";
import type { HashReply, HashRequest } from "./pseudonym-worker.ts";
import type { FixedTexts } from "../../schemas/index.ts";

/**
 * Replaces a direct identifier by its keyed hash (HMAC-SHA-256, first 128 bits, hex): the same identifier gives the
 * same pseudonym for as long as the key is kept, so records of one household link across files, and without the key
 * a pseudonym cannot be reversed by hashing guesses. Values are trimmed first, so padding does not split one person.
 * The hash is computed in JavaScript with the key's blocks compressed once (hmac-sha256.ts), equal to node:crypto's,
 * in ~1 µs. Nothing is memoised: a map of seen identifiers cost about as much again per distinct identifier (10^6
 * household numbers: 1.0 s without, 2.0 s with a 100,000-entry memo), and would hold personal values in memory.
 */
export interface Pseudonymiser {
  /** One identifier's pseudonym, on this thread. */
  (value: string): string;
  /**
   * Many identifiers' pseudonyms, in order (null stays null), end to end in one string: on a worker thread when
   * there are enough of them to pay for the hand-over, so ingest reads on while a batch is hashed (10^6 household
   * numbers: ~1 s of ingest's thread). The same pseudonyms as one at a time.
   */
  many(values: readonly (string | null)[]): Promise<FixedTexts>;
  /** Stops the worker thread, if one was started. */
  close(): Promise<void>;
}

/** Below this many identifiers a batch is hashed on the calling thread: the hand-over would cost more. */
export const WORKER_MIN_IDENTIFIERS = 4096;
/**
 * The worker holds one batch's identifiers (one string) and pseudonyms at a time, a few MB. V8's defaults sized its
 * heap for a general-purpose thread: at 10^7 households it reached 76-145 MB of heap beside 10-43 MB in use.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 };

export function createPseudonymiser(key: Buffer): Pseudonymiser {
  const one = createPseudonymOf(key);
  let worker: Worker | undefined;
  let seq = 0;
  const waiting = new Map<number, { resolve: (r: HashReply) => void; reject: (e: unknown) => void }>();
  const fail = (err: unknown) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    worker = undefined;
  };
  const started = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL("./pseudonym-worker.ts", import.meta.url), {
      workerData: new Uint8Array(key),
      resourceLimits: WORKER_LIMITS,
    });
    w.on("message", (reply: HashReply) => {
      const pending = waiting.get(reply.seq);
      waiting.delete(reply.seq);
      // Idle, the worker must not keep the process alive; busy, it must, or an awaited batch could be left behind.
      if (waiting.size === 0) w.unref();
      pending?.resolve(reply);
    });
    w.on("error", fail);
    w.on("exit", (code) => {
      if (waiting.size > 0) fail(new Error(`the pseudonymisation worker stopped (exit code ${code})`));
      worker = undefined;
    });
    worker = w;
    return w;
  };
  const many = async (values: readonly (string | null)[]): Promise<FixedTexts> => {
    let present = 0;
    for (const v of values) if (v !== null) present++;
    const nulls = present < values.length ? Uint8Array.from(values, (v) => (v === null ? 1 : 0)) : undefined;
    const fixed = (pseudonyms: string): FixedTexts => ({
      kind: "fixed",
      width: PSEUDONYM_LENGTH,
      // A null row holds blanks, so every row starts at a multiple of the width.
      text: nulls === undefined ? pseudonyms : spaced(pseudonyms, nulls),
      ...(nulls === undefined ? {} : { nulls }),
    });
    if (present < WORKER_MIN_IDENTIFIERS) {
      const out: string[] = [];
      for (const v of values) if (v !== null) out.push(one(v));
      return fixed(out.join(""));
    }
    const lengths = new Int32Array(present);
    const texts: string[] = new Array(present);
    let k = 0;
    for (const v of values)
      if (v !== null) {
        texts[k] = v;
        lengths[k++] = v.length;
      }
    const w = started();
    const id = ++seq;
    const reply = new Promise<HashReply>((resolve, reject) => waiting.set(id, { resolve, reject }));
    w.ref();
    const request: HashRequest = { seq: id, joined: texts.join(""), lengths };
    w.postMessage(request, [lengths.buffer]);
    const { pseudonyms } = await reply;
    return fixed(pseudonyms);
  };
  const close = async () => {
    const w = worker;
    worker = undefined;
    if (w) await w.terminate();
  };
  return Object.assign(one, { many, close });
}

/** The pseudonyms of the present rows, with a blank pseudonym at each null row. */
function spaced(pseudonyms: string, nulls: Uint8Array): string {
  const blank = " ".repeat(PSEUDONYM_LENGTH);
  const parts: string[] = new Array(nulls.length);
  let k = 0;
  for (let i = 0; i < nulls.length; i++)
    parts[i] = nulls[i] ? blank : pseudonyms.slice(PSEUDONYM_LENGTH * k, PSEUDONYM_LENGTH * ++k);
  return parts.join("");
}
