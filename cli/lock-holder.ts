import { readFileSync } from "node:fs";
import { basename } from "node:path";

const COMMANDS = new Set([
  "config",
  "evaluate",
  "explain",
  "export",
  "ingest",
  "load",
  "replay",
  "report",
  "run",
  "schedule",
  "status",
  "transform",
  "validate",
]);

/**
 * What process `pid` is, named for the person at the terminal: `gongfu export` for a gongfu command, else the
 * program's name (`node`, `duckdb`, `python3`); undefined when it cannot be told (gone, or no /proc). Only the
 * command's name is given, never its arguments: they can hold a query or a path the reader need not see.
 */
export function describeProcess(pid: number, procRoot = "/proc"): string | undefined {
  let argv: string[];
  try {
    argv = readFileSync(`${procRoot}/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return undefined;
  }
  const script = argv.findIndex((a) => /^gongfu(\.ts|\.js)?$/.test(basename(a)));
  if (script >= 0) {
    const command = argv.slice(script + 1).find((a) => COMMANDS.has(a));
    return command ? `gongfu ${command}` : "gongfu";
  }
  const program = argv[0] ? basename(argv[0]) : undefined;
  return program?.replace(/[^\w.+-]/g, "?");
}
