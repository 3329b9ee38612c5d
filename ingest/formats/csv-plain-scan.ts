import { isUtf8 } from "node:buffer";
import type { Readable } from "node:stream";

const FFFD = Buffer.from([0xef, 0xbf, 0xbd]);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const BLANK_LF = Buffer.from("\n\n");
const LF = 10;
const CR = 13;
const QUOTE = 34;

/**
 * Whether a UTF-8 CSV file is plain enough that DuckDB's `read_csv` reads exactly what the JavaScript reader would,
 * with line numbers that follow from row numbers: valid UTF-8 without U+FFFD (which the JavaScript reader rejects
 * as a damaged character), NUL or a byte order mark after the start; every record on one line; no blank line
 * between records; LF or CRLF line ends. Anything else is read by the JavaScript reader, which handles every case:
 * this only decides which of two equal readers is faster.
 *
 * Quotes follow RFC 4180 as csv-records.ts reads them: a quote opens a quoted field only at the start of a field;
 * a quote anywhere else, or text after a closing quote, leaves the file to the JavaScript reader.
 * One pass over the bytes in bounded memory; a chunk without quotes or CRs is checked with native searches.
 */
export async function plainCsvProblem(
  input: Readable,
  delimiter: string,
  headerLine: number,
): Promise<string | undefined> {
  const delim = delimiter.charCodeAt(0);
  if (delimiter.length !== 1 || delim >= 0x80) return "the delimiter is not a single ASCII character";
  const s: ScanState = {
    line: 1,
    inQuotes: false,
    quoteInQuotes: false,
    atFieldStart: true,
    lineHasBytes: false,
    afterCR: false,
    blank: 0,
  };
  /** An unfinished character at the end of the previous chunk, and its last two bytes (a pattern may straddle). */
  let utf8Tail = Buffer.alloc(0);
  let last2 = Buffer.alloc(0);
  let first = true;
  for await (const buffer of input as AsyncIterable<Buffer>) {
    const whole = utf8Tail.length ? Buffer.concat([utf8Tail, buffer]) : buffer;
    const cut = incompleteTail(whole);
    if (!isUtf8(whole.subarray(0, whole.length - cut))) return "the file is not valid UTF-8";
    utf8Tail = Buffer.from(whole.subarray(whole.length - cut));
    const problem =
      patternProblem(buffer, first ? 1 : 0) ?? patternProblem(Buffer.concat([last2, buffer.subarray(0, 2)]), 0);
    if (problem) return problem;
    last2 = Buffer.from(buffer.subarray(Math.max(0, buffer.length - 2)));
    const scanned = scanStructure(buffer, s, delim, headerLine);
    if (scanned) return scanned;
    first = false;
  }
  if (utf8Tail.length > 0) return "the file ends inside a UTF-8 character";
  if (s.afterCR) return "the file ends with CR alone";
  if (s.inQuotes && !s.quoteInQuotes) return "the file ends inside a quoted field";
  return undefined;
}

/** Bytes the JavaScript reader treats apart: U+FFFD, NUL, and a byte order mark at `bomFrom` or later. */
function patternProblem(bytes: Buffer, bomFrom: number): string | undefined {
  if (bytes.indexOf(FFFD) >= 0) return "the file holds U+FFFD (a replacement character)";
  if (bytes.indexOf(0) >= 0) return "the file holds a NUL byte";
  if (bytes.indexOf(BOM, bomFrom) >= 0) return "a byte order mark after the start of the file";
  return undefined;
}

interface ScanState {
  line: number;
  inQuotes: boolean;
  /** A quote seen inside a quoted field: the next byte decides whether it was doubled or closed the field. */
  quoteInQuotes: boolean;
  atFieldStart: boolean;
  lineHasBytes: boolean;
  afterCR: boolean;
  /** Blank lines after the header so far: fine at the end of the file, a problem if a record follows. */
  blank: number;
}

/** Bytes at the end of a chunk that begin a UTF-8 character the chunk does not finish. */
function incompleteTail(chunk: Buffer): number {
  for (let back = 1; back <= Math.min(3, chunk.length); back++) {
    const b = chunk[chunk.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

function scanStructure(body: Buffer, s: ScanState, delim: number, headerLine: number): string | undefined {
  // The common chunk: past the header, outside quotes, no quote or CR in it, no blank line: nothing to look at.
  if (
    s.line > headerLine &&
    !s.inQuotes &&
    !s.quoteInQuotes &&
    !s.afterCR &&
    s.blank === 0 &&
    body.length > 0 &&
    body.indexOf(QUOTE) < 0 &&
    body.indexOf(CR) < 0 &&
    body.indexOf(BLANK_LF) < 0 &&
    !(body[0] === LF && !s.lineHasBytes)
  ) {
    const last = body[body.length - 1]!;
    s.lineHasBytes = last !== LF;
    s.atFieldStart = last === LF || last === delim;
    // Lines are not counted here: past the header, the count only tells blank lines before it from those after.
    return undefined;
  }
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (s.afterCR) {
      s.afterCR = false;
      if (c !== LF) return "a line ends with CR alone";
    }
    if (s.quoteInQuotes) {
      s.quoteInQuotes = false;
      if (c === QUOTE) continue; // a doubled quote: still inside the field
      s.inQuotes = false;
      // Text after a closing quote is kept by one reader and refused or dropped by another.
      if (c !== delim && c !== LF && c !== CR) return "text follows a closing quote";
    }
    if (s.inQuotes) {
      if (c === QUOTE) s.quoteInQuotes = true;
      else if (c === LF || c === CR) return "a quoted field holds a line break";
      continue;
    }
    if (c === CR) {
      s.afterCR = true;
      continue;
    }
    if (c === LF) {
      if (!s.lineHasBytes && s.line > headerLine) s.blank++;
      s.line++;
      s.lineHasBytes = false;
      s.atFieldStart = true;
      continue;
    }
    if (s.blank > 0) return "a blank line comes before a record";
    s.lineHasBytes = true;
    if (c === delim) s.atFieldStart = true;
    else if (c === QUOTE) {
      // DuckDB reads ` "a"` as a quoted a; the JavaScript reader keeps every character of an unquoted field.
      if (!s.atFieldStart) return "a quote inside an unquoted field";
      s.inQuotes = true;
      s.atFieldStart = false;
    } else s.atFieldStart = false;
  }
  return undefined;
}
