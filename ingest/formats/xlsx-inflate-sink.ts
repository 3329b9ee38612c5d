import { createInflateRaw } from "node:zlib";

/** Inflates (or, for a stored entry, passes) one zip entry's data a slice at a time, handing each output chunk on. */
export interface InflateSink {
  /** Resolves once the slice is inflated and its output handed on: one slice in flight, memory flat. */
  write(data: Buffer): Promise<void>;
  /** Resolves once the rest of the output is handed on. */
  end(): Promise<void>;
  /** Why inflating failed (damaged deflate data), once it has; nothing more is handed on after that. */
  failure(): string | undefined;
  close(): void;
}

/** ZIP compression methods this reader knows: 0 stored, 8 deflated (all that XLSX writers use). */
const STORED = 0;
const DEFLATED = 8;

export function createInflateSink(method: number, onData: (chunk: Buffer) => void): InflateSink {
  if (method === STORED)
    return { write: async (data) => onData(data), end: async () => {}, failure: () => undefined, close: () => {} };
  if (method !== DEFLATED) {
    const why = `compression method ${method} is not deflate`;
    return { write: async () => {}, end: async () => {}, failure: () => why, close: () => {} };
  }
  const inflater = createInflateRaw();
  let done = false;
  let failed: string | undefined;
  let wake: (() => void) | undefined;
  inflater.on("data", (chunk: Buffer) => void (failed === undefined && onData(chunk)));
  inflater.on("error", (err: Error) => void (failed ??= err.message));
  for (const event of ["error", "end", "close"])
    inflater.on(event, () => {
      done = true;
      wake?.();
    });
  const settle = (start: (resolve: () => void) => void) =>
    new Promise<void>((resolve) => {
      if (done) return resolve();
      wake = resolve;
      start(resolve);
    });
  return {
    write: (data) => settle((resolve) => inflater.write(data, () => resolve())),
    end: () => settle(() => inflater.end()),
    failure: () => failed,
    close: () => inflater.destroy(),
  };
}
