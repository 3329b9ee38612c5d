import { PipelineError } from "../runtime/errors.ts";

/** Polls a condition until it holds; fails with what it was waiting for after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new PipelineError(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
