import { setTimeout as sleep } from "node:timers/promises";

/** The HTTP status of a stage's /readyz and its body; 0 while nothing listens. */
export async function readyz(port: number): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(8000) });
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: "" };
  }
}

/** Polls `condition` every 200 ms; fails with `what` and `context()` after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
  context: () => string = () => "",
): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}\n${context()}`);
    await sleep(200);
  }
  return Date.now() - started;
}
