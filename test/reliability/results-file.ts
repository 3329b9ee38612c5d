import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { REPO } from "../helpers/cli.ts";

const FILE = `${REPO}RELIABILITY.md`;
const LOCK = `${REPO}.reliability.lock`;
const HEADER =
  "# Reliability\n\nWritten by the reliability suite (`test/reliability/`) each time it runs; do not edit by hand.\n";

/** Replaces one suite's section of RELIABILITY.md, under a lock file since test files run in parallel. */
export async function writeSection(name: string, body: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      closeSync(openSync(LOCK, "wx"));
      break;
    } catch {
      if (i > 200) unlinkSync(LOCK);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    const text = existsSync(FILE) ? readFileSync(FILE, "utf8") : HEADER;
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const section = `${start}\n${body.trim()}\n${end}`;
    const next = text.includes(start)
      ? text.replace(new RegExp(`${start}[\\s\\S]*?${end}`), () => section)
      : `${text.trimEnd()}\n\n${section}\n`;
    writeFileSync(FILE, next);
  } finally {
    unlinkSync(LOCK);
  }
}
