import type { Catalog, DeadLetterReason, RecordColumn, RecordFeedSpec, RecordValues } from "../../schemas/index.ts";
import { storedColumns } from "../../schemas/index.ts";

/** What a value of a personal column looks like in a dead letter: its presence, never its text. */
export const REDACTED = "[redacted]";

const INTEGER = /^[+-]?\d{1,15}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The text of a cell as the column's type reads it, or why it cannot be read. Never quotes the value. */
function readCell(
  text: string,
  column: RecordColumn,
  catalog: Catalog,
): { ok: true; value: string | number } | { ok: false; code: string; message: string } {
  switch (column.type) {
    case "string":
      return { ok: true, value: text };
    case "region":
      return catalog.region(text)
        ? { ok: true, value: text }
        : { ok: false, code: "unknown_region", message: "not a region code of the catalog (GB/T 2260)" };
    case "integer":
      return INTEGER.test(text)
        ? atLeast(Number(text), column)
        : { ok: false, code: "parse_error", message: "not an integer" };
    case "number": {
      const n = text === "" ? Number.NaN : Number(text.replaceAll(",", ""));
      return Number.isFinite(n) ? atLeast(n, column) : { ok: false, code: "parse_error", message: "not a number" };
    }
    case "date": {
      const m = DATE.exec(text);
      return m !== null && isDay(Number(m[1]), Number(m[2]), Number(m[3]))
        ? { ok: true, value: text }
        : { ok: false, code: "bad_date", message: "not a date YYYY-MM-DD" };
    }
    case "timestamp": {
      const ms = Date.parse(text);
      return Number.isNaN(ms)
        ? { ok: false, code: "bad_date", message: "not a timestamp (ISO 8601)" }
        : { ok: true, value: new Date(ms).toISOString() };
    }
  }
}

/** True for a real calendar day: by arithmetic, as a Date per cell was a tenth of a registry's ingest time. */
function isDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
}

/** A number checked against the column's `min`; the message names the bound, never the value. */
function atLeast(
  n: number,
  column: RecordColumn,
): { ok: true; value: number } | { ok: false; code: string; message: string } {
  return column.min === undefined || n >= column.min
    ? { ok: true, value: n }
    : { ok: false, code: "out_of_range", message: `below the least value ${column.min}` };
}

/** The year of an event time, which names the record's period; undefined when it is outside 1900-2100. */
function yearOf(value: string | number): number | undefined {
  const year = typeof value === "number" ? value : Number(value.slice(0, 4));
  return Number.isInteger(year) && year >= 1900 && year <= 2100 ? year : undefined;
}

const ACCEPTED: readonly DeadLetterReason[] = Object.freeze([]);

/** A cell's value as stored, or the reasons it is refused (in the order the row path gives them). */
type CellResult = { value: string | number | null; reasons?: DeadLetterReason[] };

/**
 * One column of a chunk as a reader hands it over: texts row by row, or codes into a dictionary of the file's
 * distinct values (region and event-time columns), or absent when the file lacks the column.
 */
export type RecordCellColumn = readonly string[] | { codes: Int32Array; dictionary: readonly string[] } | undefined;

/** A record of a chunk that was refused: its index in the chunk, and why. */
export interface RefusedRecord {
  row: number;
  reasons: readonly DeadLetterReason[];
}

/**
 * Builds the columns of one record batch. `addTexts` reads and checks one record given as the texts of the stored
 * columns (in `names` order) and returns the reasons it was refused (empty when taken); values go straight into the
 * columns and are cut off again if the record is refused, so a taken record makes no object of its own. `add` does
 * the same for a record read as fields by name. `addChunk` takes a reader's chunk column by column, each dictionary
 * value read once. `take` hands over the columns gathered so far, identifiers still in clear (trimmed): the caller
 * pseudonymises `identifiers` before anything leaves ingest (produce-record-file.ts), so a batch's identifiers are
 * hashed together, off ingest's thread.
 */
export function createRecordColumns(spec: RecordFeedSpec, catalog: Catalog) {
  const stored = storedColumns(spec);
  const names = stored.map(([n]) => n);
  const numeric = stored.map(([, c]) => isNumeric(c));
  const eventTime = names.indexOf(spec.records.eventTime);
  let columns: (number | string | null)[][];
  let lines: number[];
  const reset = () => {
    columns = stored.map(() => []);
    lines = [];
  };
  reset();
  const scratch: string[] = new Array(stored.length).fill("");
  /**
   * Dates, timestamps, regions and the event time repeat (a registry's dates are a few thousand days, a station's
   * hours repeat at every station) and are read by a regular expression, a date parse or a catalog lookup into a
   * result object: a text is read once per column while it stays in this memo, by either path. Personal columns are
   * never memoised.
   */
  const memos = stored.map(([, c], k) =>
    c.personal === "none" && (!plainType(c.type) || k === eventTime) ? new Map<string, CellResult>() : undefined,
  );

  /** One cell, trimmed text in: its stored value (identifiers not yet hashed) or why not. */
  const cell = (k: number, raw: string): CellResult => {
    const name = names[k]!;
    const column = stored[k]![1];
    if (raw === "")
      return column.optional
        ? { value: numeric[k] ? Number.NaN : null }
        : { value: null, reasons: [{ path: name, code: "missing_value", message: `${name} has no value` }] };
    const read = readCell(raw, column, catalog);
    if (!read.ok)
      return { value: null, reasons: [{ path: name, code: read.code, message: `${name}: ${read.message}` }] };
    const value = numeric[k] ? Number(read.value) : String(read.value);
    if (k === eventTime && yearOf(read.value) === undefined)
      return {
        value,
        reasons: [{ path: name, code: "bad_period", message: `${name}: the event time is outside 1900-2100` }],
      };
    return { value };
  };

  /** `cell` through the column's memo, when it has one. */
  const remembered = (k: number, raw: string): CellResult => {
    const memo = memos[k];
    if (memo === undefined) return cell(k, raw);
    let result = memo.get(raw);
    if (result === undefined) {
      result = cell(k, raw);
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(raw, result);
    }
    return result;
  };

  const addTexts = (texts: readonly string[], line: number): readonly DeadLetterReason[] => {
    const r = lines.length;
    let reasons: DeadLetterReason[] | undefined;
    for (let k = 0; k < stored.length; k++) {
      const result = remembered(k, texts[k]!.trim());
      if (result.reasons !== undefined) {
        (reasons ??= []).push(...result.reasons);
        if (result.value === null) continue;
      }
      columns[k]![r] = result.value;
    }
    if (reasons !== undefined) {
      for (const c of columns) c.length = r;
      return reasons;
    }
    lines.push(line);
    return ACCEPTED;
  };

  /**
   * A chunk's records, column by column: a dictionary's values are read once each and rows map through their codes;
   * plain strings and numbers are read in a loop over the column with no object per cell. Reads rows `start` to
   * `start + rows - 1` of the chunk, the first on `firstLine`. Returns the refused records (their row in the chunk),
   * in order; they leave no trace in the columns.
   */
  const addChunk = (
    cells: readonly RecordCellColumn[],
    start: number,
    rows: number,
    firstLine: number,
  ): RefusedRecord[] => {
    const r0 = lines.length;
    const refused = new Map<number, DeadLetterReason[]>();
    const refuse = (i: number, reasons: readonly DeadLetterReason[]) => {
      const list = refused.get(i);
      if (list === undefined) refused.set(i, [...reasons]);
      else list.push(...reasons);
    };
    for (let k = 0; k < stored.length; k++) {
      const out = columns[k]!;
      const source = cells[k];
      if (source === undefined || "codes" in source) {
        // Absent (every row reads as empty) or coded: each distinct text read once.
        const memo: (CellResult | undefined)[] = [];
        for (let i = 0; i < rows; i++) {
          const code = source === undefined ? 0 : source.codes[start + i]!;
          let result = memo[code];
          if (result === undefined) {
            result = cell(k, source === undefined ? "" : source.dictionary[code]!.trim());
            memo[code] = result;
          }
          out[r0 + i] = result.value;
          if (result.reasons !== undefined) refuse(i, result.reasons);
        }
        continue;
      }
      const column = stored[k]![1];
      // Strings, numbers and integers (other than the event time) are read inline; anything else, and any cell that
      // fails, goes through `cell`, which gives the reasons exactly as the row path does.
      const type = k === eventTime && column.type === "integer" ? "other" : column.type;
      for (let i = 0; i < rows; i++) {
        const raw = source[start + i]!.trim();
        if (raw !== "") {
          if (type === "string") {
            out[r0 + i] = raw;
            continue;
          }
          if (type === "number" || (type === "integer" && INTEGER.test(raw))) {
            const n = Number(type === "number" && raw.includes(",") ? raw.replaceAll(",", "") : raw);
            if (Number.isFinite(n) && (column.min === undefined || n >= column.min)) {
              out[r0 + i] = n;
              continue;
            }
          }
        }
        const result = remembered(k, raw);
        out[r0 + i] = result.value;
        if (result.reasons !== undefined) refuse(i, result.reasons);
      }
    }
    for (let i = 0; i < rows; i++) lines[r0 + i] = firstLine + i;
    if (refused.size === 0) return [];
    // Rare: cut the refused rows out of every column and the lines.
    const keep = (list: unknown[]) => {
      let w = r0;
      for (let i = 0; i < rows; i++) if (!refused.has(i)) list[w++] = list[r0 + i];
      list.length = w;
    };
    for (const c of columns) keep(c);
    keep(lines);
    return [...refused].sort((a, b) => a[0] - b[0]).map(([i, reasons]) => ({ row: start + i, reasons }));
  };

  return {
    /** The stored columns, in the order `addTexts` and `addChunk` take them. */
    names,
    /** The identifier columns, in clear in what `take` hands over until pseudonymised. */
    identifiers: stored.filter(([, c]) => c.personal === "identifier").map(([n]) => n),
    get rows(): number {
      return lines.length;
    },
    addTexts,
    addChunk,
    add(fields: Readonly<Record<string, string>>, line: number): readonly DeadLetterReason[] {
      for (let k = 0; k < names.length; k++) scratch[k] = fields[names[k]!] ?? "";
      return addTexts(scratch, line);
    },
    take(): { columns: Record<string, RecordValues>; lines: Int32Array; rows: number } {
      const out: Record<string, RecordValues> = {};
      stored.forEach(([name], k) => {
        out[name] = numeric[k]
          ? { kind: "number", values: Float64Array.from(columns[k]! as number[]) }
          : { kind: "text", values: columns[k]! as (string | null)[] };
      });
      const taken = { columns: out, lines: Int32Array.from(lines), rows: lines.length };
      reset();
      return taken;
    },
  };
}

/** Entries a column's memo holds before it starts over: enough for every day of several decades. */
const MEMO_SIZE = 65_536;

/** Types `addChunk` reads inline, with no memo. */
function plainType(type: RecordColumn["type"]): boolean {
  return type === "string" || type === "number" || type === "integer";
}

function isNumeric(column: RecordColumn): boolean {
  return column.type === "integer" || column.type === "number";
}

/** A record as a dead letter may show it: the non-personal declared columns; every other field only as present. */
export function redactedPayload(
  spec: RecordFeedSpec,
  fields: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    const column = spec.records.columns[name];
    out[name] = column !== undefined && column.personal === "none" ? value : REDACTED;
  }
  return out;
}
