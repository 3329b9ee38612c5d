// A small RFC 4180 reader: the catalog is a handful of hand-edited files, not worth a dependency.

/** One parsed record; `line` is the 1-based line where the record starts. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/** A malformed CSV text (unterminated quote, stray quote inside a bare field). */
export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "CsvSyntaxError";
    this.line = line;
  }
}

/** Parses a whole CSV text; quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let fieldWasQuoted = false;
  let i = 0;
  const endField = (): void => {
    fields.push(field);
    field = "";
    fieldWasQuoted = false;
  };
  const endRecord = (): void => {
    endField();
    // A blank line yields one empty field: skip it rather than invent an empty row.
    if (!(fields.length === 1 && fields[0] === "")) records.push({ line: recordLine, fields });
    fields = [];
  };
  while (i < src.length) {
    const ch = src[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        const next = src[i];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
          throw new CsvSyntaxError(line, "unexpected character after closing quote");
        }
        continue;
      }
      if (ch === "\n") line += 1;
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"') {
      if (field !== "" || fieldWasQuoted) throw new CsvSyntaxError(line, "quote inside an unquoted field");
      quoted = true;
      fieldWasQuoted = true;
      i += 1;
      continue;
    }
    if (ch === ",") {
      endField();
      i += 1;
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && src[i + 1] === "\n" ? 2 : 1;
      line += 1;
      recordLine = line;
      continue;
    }
    field += ch;
    i += 1;
  }
  if (quoted) throw new CsvSyntaxError(recordLine, "unterminated quoted field");
  if (field !== "" || fields.length > 0 || fieldWasQuoted) endRecord();
  return records;
}

/** Parses a single CSV line into its fields. */
export function parseCsvLine(line: string): string[] {
  const records = parseCsv(line);
  if (records.length > 1) throw new CsvSyntaxError(1, "more than one record in a single line");
  return [...(records[0]?.fields ?? [""])];
}
