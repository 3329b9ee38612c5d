import type { RecordFilter } from "../schemas/index.ts";

/** A filter as a person reads it: `household_size > 0`, `status in (active, suspended)`. */
export function filterText(f: RecordFilter): string {
  if (f.value === undefined) return `${f.column} ${f.op}`;
  return `${f.column} ${f.op} ${Array.isArray(f.value) ? `(${f.value.join(", ")})` : String(f.value)}`;
}
