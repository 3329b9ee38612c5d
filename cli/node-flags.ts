/**
 * V8 flags gongfu runs with. V8 sizes a thread's young generation for a general-purpose program, up to several
 * 16-32 MB semi-spaces; a load allocates a batch's strings and arrays there at a high rate and lets them die young,
 * so the young generation stayed at its largest for the whole run. With 8 MB semi-spaces the peak RSS of a 10^7
 * household load went 846 → 728 MB and of `gongfu run` at 10^6 observations 720-742 → 656-667 MB, at the same speed
 * (BENCHMARKS.md, "Record feeds", seventh session). Unlike a limit on the old generation, it cannot make a large
 * input fail: more, smaller scavenges are all it costs.
 */
export const NODE_FLAGS = ["--max-semi-space-size=8"] as const;

const flagName = (flag: string): string => flag.split("=")[0]!;

/** The flags not given already, on the command line or in NODE_OPTIONS (a user's own value wins). */
export function missingNodeFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)].map(flagName);
  return NODE_FLAGS.filter((f) => !given.includes(flagName(f)));
}

/**
 * V8 reads these flags when it sets its heap up, so they must be on the command line: when one is missing, the
 * process replaces itself (execve: same pid, same open files and environment, ~40 ms) with Node started with them.
 * Where execve is not available (Windows) or fails, gongfu runs as it was started. GONGFU_NODE_FLAGS=off skips it.
 */
export function restartWithNodeFlags(): void {
  if (process.env["GONGFU_NODE_FLAGS"] === "off" || typeof process.execve !== "function") return;
  const missing = missingNodeFlags(process.execArgv, process.env["NODE_OPTIONS"]);
  if (missing.length === 0) return;
  try {
    process.execve(process.execPath, [process.execPath, ...missing, ...process.execArgv, ...process.argv.slice(1)]);
  } catch {
    // Run on without them: they only save memory.
  }
}
