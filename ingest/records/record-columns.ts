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
      const iso = instant(text);
      return iso === undefined
        ? { ok: false, code: "bad_date", message: "not a timestamp (ISO 8601)" }
        : { ok: true, value: iso };
    }
  }
}

/** True for a real calendar day: by arithmetic, as a Date per cell was a tenth of a registry's ingest time. */
function isDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
}

/**
 * A timestamp as its ISO instant, or undefined. Hourly readings repeat each hour at every station, so the parses
 * are remembered (a bounded map, emptied when full): timestamps are never personal values.
 */
const instants = new Map<string, string | undefined>();
function instant(text: string): string | undefined {
  if (instants.has(text)) return instants.get(text);
  const ms = Date.parse(text);
  const iso = Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  if (instants.size >= 50_000) instants.clear();
  instants.set(text, iso);
  return iso;
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

/**
 * Builds the columns of one record batch. `addTexts` reads, checks and pseudonymises one record given as the texts
 * of the stored columns (in `names` order) and returns the reasons it was refused (empty when taken); values go
 * straight into the columns and are cut off again if the record is refused, so a taken record makes no object of
 * its own. `add` does the same for a record read as fields by name. `take` hands over the columns gathered so far.
 */
export function createRecordColumns(spec: RecordFeedSpec, catalog: Catalog, pseudonymise: (v: string) => string) {
  const stored = storedColumns(spec);
  const names = stored.map(([n]) => n);
  const numeric = stored.map(([, c]) => isNumeric(c));
  const identifier = stored.map(([, c]) => c.personal === "identifier");
  const eventTime = names.indexOf(spec.records.eventTime);
  let columns: (number | string | null)[][];
  let lines: number[];
  const reset = () => {
    columns = stored.map(() => []);
    lines = [];
  };
  reset();
  const scratch: string[] = new Array(stored.length).fill("");
  const addTexts = (texts: readonly string[], line: number): readonly DeadLetterReason[] => {
    const r = lines.length;
    let reasons: DeadLetterReason[] | undefined;
    for (let k = 0; k < stored.length; k++) {
      const name = names[k]!;
      const column = stored[k]![1];
      const raw = texts[k]!.trim();
      if (raw === "") {
        if (!column.optional)
          (reasons ??= []).push({ path: name, code: "missing_value", message: `${name} has no value` });
        columns[k]![r] = numeric[k] ? Number.NaN : null;
        continue;
      }
      const read = readCell(raw, column, catalog);
      if (!read.ok) {
        (reasons ??= []).push({ path: name, code: read.code, message: `${name}: ${read.message}` });
        continue;
      }
      if (k === eventTime && yearOf(read.value) === undefined)
        (reasons ??= []).push({
          path: name,
          code: "bad_period",
          message: `${name}: the event time is outside 1900-2100`,
        });
      // No identifier is hashed for a record already refused: its dead letter never shows it anyway.
      columns[k]![r] = numeric[k]
        ? Number(read.value)
        : identifier[k]
          ? reasons === undefined
            ? pseudonymise(String(read.value))
            : null
          : String(read.value);
    }
    if (reasons !== undefined) {
      for (const c of columns) c.length = r;
      return reasons;
    }
    lines.push(line);
    return ACCEPTED;
  };
  return {
    /** The stored columns, in the order `addTexts` takes their texts. */
    names,
    get rows(): number {
      return lines.length;
    },
    addTexts,
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
