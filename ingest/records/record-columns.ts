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
        ? { ok: true, value: Number(text) }
        : { ok: false, code: "parse_error", message: "not an integer" };
    case "number": {
      const n = text === "" ? Number.NaN : Number(text.replaceAll(",", ""));
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, code: "parse_error", message: "not a number" };
    }
    case "date": {
      const m = DATE.exec(text);
      const valid =
        m !== null &&
        !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) &&
        new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
      return valid ? { ok: true, value: text } : { ok: false, code: "bad_date", message: "not a date YYYY-MM-DD" };
    }
    case "timestamp":
      return Number.isNaN(Date.parse(text))
        ? { ok: false, code: "bad_date", message: "not a timestamp (ISO 8601)" }
        : { ok: true, value: new Date(text).toISOString() };
  }
}

/** The year of an event time, which names the record's period; undefined when it is outside 1900-2100. */
function yearOf(value: string | number): number | undefined {
  const year = typeof value === "number" ? value : Number(value.slice(0, 4));
  return Number.isInteger(year) && year >= 1900 && year <= 2100 ? year : undefined;
}

/**
 * Builds the columns of one record batch row by row. `add` reads, checks and pseudonymises a record's fields and
 * returns the reasons it was refused (empty when taken); `take` hands over the columns gathered so far.
 */
export function createRecordColumns(spec: RecordFeedSpec, catalog: Catalog, pseudonymise: (v: string) => string) {
  const stored = storedColumns(spec);
  let text: Map<string, (string | null)[]>;
  let numbers: Map<string, number[]>;
  let lines: number[];
  const reset = () => {
    text = new Map(stored.filter(([, c]) => !isNumeric(c)).map(([n]) => [n, []]));
    numbers = new Map(stored.filter(([, c]) => isNumeric(c)).map(([n]) => [n, []]));
    lines = [];
  };
  reset();
  return {
    get rows(): number {
      return lines.length;
    },
    add(fields: Readonly<Record<string, string>>, line: number): DeadLetterReason[] {
      const reasons: DeadLetterReason[] = [];
      const values: [string, string | number | null][] = [];
      for (const [name, column] of stored) {
        const raw = (fields[name] ?? "").trim();
        if (raw === "") {
          if (!column.optional) reasons.push({ path: name, code: "missing_value", message: `${name} has no value` });
          values.push([name, null]);
          continue;
        }
        const read = readCell(raw, column, catalog);
        if (!read.ok) {
          reasons.push({ path: name, code: read.code, message: `${name}: ${read.message}` });
          continue;
        }
        if (name === spec.records.eventTime && yearOf(read.value) === undefined)
          reasons.push({ path: name, code: "bad_period", message: `${name}: the event time is outside 1900-2100` });
        values.push([name, column.personal === "identifier" ? pseudonymise(String(read.value)) : read.value]);
      }
      if (reasons.length > 0) return reasons;
      for (const [name, value] of values) {
        const numeric = numbers.get(name);
        if (numeric) numeric.push(value === null ? Number.NaN : Number(value));
        else text.get(name)?.push(value === null ? null : String(value));
      }
      lines.push(line);
      return reasons;
    },
    take(): { columns: Record<string, RecordValues>; lines: Int32Array; rows: number } {
      const columns: Record<string, RecordValues> = {};
      for (const [name, column] of stored)
        columns[name] = isNumeric(column)
          ? { kind: "number", values: Float64Array.from(numbers.get(name) ?? []) }
          : { kind: "text", values: text.get(name) ?? [] };
      const taken = { columns, lines: Int32Array.from(lines), rows: lines.length };
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
