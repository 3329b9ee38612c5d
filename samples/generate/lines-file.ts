import { closeSync, openSync, writeSync } from "node:fs";

/** Lines buffered before a write: small enough to keep memory flat, large enough to make few system calls. */
const PIECE_LINES = 20_000;

/**
 * Writes `head` (its lines without the last CRLF) and the lines `generate` emits to `path`, CRLF-ended, in pieces:
 * a generator of 10^7 records must not hold its file as one string (a string that long cannot even be made).
 * Returns what `generate` returns.
 */
export function writeLinesFile<T>(path: string, head: string, generate: (emit: (line: string) => void) => T): T {
  const fd = openSync(path, "w");
  try {
    let buffer: string[] = [head];
    const result = generate((line) => {
      buffer.push(line);
      if (buffer.length >= PIECE_LINES) {
        writeSync(fd, `${buffer.join("\r\n")}\r\n`);
        buffer = [];
      }
    });
    if (buffer.length > 0) writeSync(fd, `${buffer.join("\r\n")}\r\n`);
    return result;
  } finally {
    closeSync(fd);
  }
}
